"""Print which feature package of `training` imports which (`make deps`), and any cycles.

Annotation-only imports (under TYPE_CHECKING) are left out, as in the import-linter contract in
pyproject.toml; pass --with-annotations to see them too.
"""

from __future__ import annotations

import sys

import grimp


def feature_graph(with_annotations: bool = False) -> dict[str, set[str]]:
    """Each package under `training` and the other packages it imports."""
    graph = grimp.build_graph(
        "training", "question_bank", cache_dir=None,
        exclude_type_checking_imports=not with_annotations,
    )
    packages = sorted(
        module for module in graph.modules
        if module.count(".") == 1 and module.startswith("training.") and graph.find_children(module)
    )
    return {
        importer: {
            imported for imported in packages if imported != importer
            and graph.direct_import_exists(importer=importer, imported=imported, as_packages=True)
        }
        for importer in packages
    }


def cycles(deps: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Pairs of packages that import each other."""
    return [(a, b) for a in deps for b in sorted(deps[a]) if a < b and a in deps[b]]


def main(argv: list[str]) -> int:
    deps = feature_graph(with_annotations="--with-annotations" in argv)
    for package, imported in deps.items():
        print(package.removeprefix("training."), "->",
              sorted(name.removeprefix("training.") for name in imported))
    found = cycles(deps)
    print("cycles:", found)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
