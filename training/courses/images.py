"""Images in rich-text lessons: checked with Pillow, stored in the database, served by hash.

App servers are stateless behind a load balancer, so an upload lives in the database, not
on one server's disk. The browser's filename and content type are not trusted: Pillow must
read the bytes as PNG, JPEG, GIF or WebP (SVG, which can carry script, is never accepted),
and the type served is the one Pillow found.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from PIL import Image
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from training.audit.services import record
from training.courses.models import CourseImage
from training.database import db
from training.errors import DomainError, NotFound

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # far above any screenshot; refuses decompression bombs
CONTENT_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}


@dataclass(frozen=True)
class CheckedImage:
    content_type: str
    width: int
    height: int


def check_image(data: bytes, filename: str) -> CheckedImage:
    """What the bytes really are; DomainError unless a PNG/JPEG/GIF/WebP of sensible size."""
    if not data:
        raise DomainError(_("「%(name)s」是空文件，请选择一张图片重新上传。", name=filename))
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError(_(
            "「%(name)s」超过 %(n)d MB，请压缩或缩小后重新上传。",
            name=filename, n=MAX_IMAGE_BYTES // (1024 * 1024),
        ))
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its own limit and twice it; all of that is too large.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=list(CONTENT_TYPES)) as image:
                kind, (width, height) = image.format, image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_large(filename)
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_large(filename) from error
    except DomainError:
        raise
    except Exception as error:  # Pillow raises many types for files it cannot read
        raise DomainError(_(
            "「%(name)s」不是 PNG、JPEG、GIF 或 WebP 图片，请另存为其中一种格式后重新上传。",
            name=filename,
        )) from error
    return CheckedImage(CONTENT_TYPES[kind], width, height)


def _too_large(filename: str) -> DomainError:
    """Pillow refuses the largest images before it reads their size: they are too large too."""
    return DomainError(_(
        "「%(name)s」的尺寸过大（超过 %(n)d 万像素），请缩小后重新上传。",
        name=filename, n=MAX_IMAGE_PIXELS // 10_000,
    ))


def store_image(data: bytes, filename: str, *, actor: Any) -> CourseImage:
    """Keep an uploaded image once; the same bytes uploaded again return the stored row."""
    checked = check_image(data, filename)
    digest = hashlib.sha256(data).hexdigest()
    existing = db.session.scalar(select(CourseImage).filter_by(sha256=digest))
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            image = CourseImage(
                sha256=digest, content_type=checked.content_type, width=checked.width,
                height=checked.height, byte_size=len(data), data=data,
                filename=(filename or "")[:255], uploaded_by_id=getattr(actor, "id", None),
            )
            db.session.add(image)
    except IntegrityError:  # the same image uploaded at the same moment elsewhere
        return db.session.scalars(select(CourseImage).filter_by(sha256=digest)).one()
    record(actor, "course.image_uploaded", image, sha256=digest, bytes=len(data))
    return image


def image_by_hash(digest: str) -> CourseImage:
    image = db.session.scalar(select(CourseImage).filter_by(sha256=digest.lower()))
    if image is None:
        raise NotFound(_("图片不存在"))
    return image
