"""Rich-text lessons: Markdown rendered and sanitised; uploaded images checked and stored once."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import func, select

from training.courses.images import MAX_IMAGE_BYTES, check_image, store_image
from training.courses.models import CourseImage
from training.courses.richtext import render_markdown
from training.database import db
from training.errors import DomainError


def image_bytes(kind: str = "PNG", size: tuple[int, int] = (8, 6)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (15, 118, 110)).save(buffer, kind)
    return buffer.getvalue()


def test_markdown_becomes_headings_lists_tables_and_images():
    html = render_markdown(
        "## 投诉四步\n\n1. **倾听**\n2. 道歉\n\n| 步骤 | 要点 |\n|---|---|\n| 倾听 | 不打断 |\n\n"
        "![流程图](/courses/images/abc)\n\n第一行\n第二行"
    )
    assert "<h2>投诉四步</h2>" in html and "<strong>倾听</strong>" in html
    assert '<table class="table table-sm">' in html and "<td>不打断</td>" in html
    assert '<img src="/courses/images/abc" alt="流程图" class="img-fluid">' in html
    assert "第一行<br>" in html


@pytest.mark.parametrize("attack", [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[点我](javascript:alert(1))",
    '<a href="javascript:alert(1)">点我</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="position:fixed" onclick="alert(1)">文字</p>',
    "<svg><script>alert(1)</script></svg>",
    '<form action="https://evil.example"><input name="password"></form>',
])
def test_script_and_active_content_are_stripped(attack):
    html = str(render_markdown(f"正文\n\n{attack}"))
    for forbidden in ("<script", "onerror", "onclick", 'href="javascript', "<iframe", "style=",
                      "<form", "<input", "<svg"):
        assert forbidden not in html.lower()
    assert "正文" in html


def test_links_keep_their_address_and_open_safely():
    html = str(render_markdown("[服务手册](https://example.com/manual)"))
    assert 'href="https://example.com/manual"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(("kind", "content_type"), [
    ("PNG", "image/png"), ("JPEG", "image/jpeg"), ("GIF", "image/gif"), ("WEBP", "image/webp"),
])
def test_the_four_web_image_formats_are_accepted(kind, content_type):
    checked = check_image(image_bytes(kind), "图.png")
    assert (checked.content_type, checked.width, checked.height) == (content_type, 8, 6)


def png_header(width: int, height: int) -> bytes:
    """A PNG that states its size and holds no pixels: enough for Pillow to judge it."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    return (
        b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(header)) + chunk
        + struct.pack(">I", zlib.crc32(chunk)) + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    )


@pytest.mark.parametrize(("data", "message"), [
    (b"", "空"),
    (b"%PDF-1.4 not an image", "不是 PNG、JPEG、GIF 或 WebP 图片"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "不是 PNG"),
    (image_bytes("BMP"), "不是 PNG"),
    (image_bytes()[:40], "不是 PNG"),  # a PNG cut short
    (b"\x89PNG" + b"0" * MAX_IMAGE_BYTES, "超过 5 MB"),
    (png_header(50_000, 50_000), "尺寸过大"),  # Pillow refuses it before reading its size
    (png_header(10_000, 10_000), "尺寸过大"),  # Pillow only warns about this one
    (png_header(7_000, 7_000), "尺寸过大"),  # Pillow accepts it; our limit is lower
])
def test_anything_else_is_refused_naming_the_file(data, message):
    with pytest.raises(DomainError, match=message) as refused:
        check_image(data, "流程图.png")
    assert refused.value.message.startswith("「流程图.png」")


def test_an_image_is_stored_in_the_database_once(app, make_user):
    trainer = make_user(roles=("trainer",))
    data = image_bytes()
    first = store_image(data, "流程图.png", actor=trainer)
    again = store_image(data, "副本.png", actor=trainer)
    db.session.commit()
    assert again is first
    assert (first.content_type, first.byte_size, first.data, first.filename) == (
        "image/png", len(data), data, "流程图.png"
    )
    assert len(first.sha256) == 64
    assert db.session.scalar(select(func.count(CourseImage.id))) == 1
