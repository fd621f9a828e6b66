"""The project explains itself: no comment or document points outside the repository (issue 16).

The facts the code relies on — deadlines, who decides, thresholds, the standards' clauses, what
the annual summary counts — are written in docs/ with their sources (docs/procedures.md and each
area's section 依据). This reads every text file under src/, docs/, tests/, bench/ and tools/, the
README, pyproject.toml and the Makefile, and fails on:

- a name of the team notebook that lives outside the repository;
- a `docs/….md` path, or a relative Markdown link in a document, that is not a file here;
- in code, a bare `<name>.md §…` (a section of a document not named by its docs/ path);
- a section reference (`docs/enforcement.md §5`, `[procedures.md §2](procedures.md)`,
  `docs/legal.md "Deadlines"`, the air-quality code's `spec §2.1`) whose heading does not exist.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SCANNED = ["src", "docs", "tests", "bench", "tools", "README.md", "pyproject.toml", "Makefile"]
TEXT_SUFFIXES = {".py", ".md", ".txt", ".html", ".json", ".toml", ".cfg", ".ini", ".po", ".csv"}
SKIP_PARTS = {"__pycache__", "migrations"}
THIS = Path(__file__).resolve()

# Names of the notebook outside the repository; none of them may appear (written split, so
# that this file does not name them itself).
OUTSIDE = [
    "../" + "shared",
    "/work/" + "shared",
    "shared/" + "standards",
    "shared/" + "seed",
    "standards" + "/",
    "seed/" + "000",
    "DESIGN" + ".md",
    "GLOSS" + "ARY.md",
    "FIGURES" + ".md",
    "air-quality" + ".md",
    "formats" + ".md",
]

SECTION = r"§(?:依据|\d+(?:\.\d+)*)"
# docs/x.md §2, §3 / docs/x.md §5 and §6 / x.md §1–§8: every section of the chain belongs to x.
SECTION_REF = re.compile(
    r"(?<![\w-])((?:docs/|\.\./)?(?:[\w-]+/)*[\w-]+)\.md\]? ((?:"
    + SECTION
    + r")(?:(?:, | and | or |–)"
    + SECTION
    + r")*)"
)
QUOTED_REF = re.compile(r"(?<![\w-])(docs/(?:[\w-]+/)*[\w-]+)\.md \"([^\"]+)\"")
DOCS_PATH = re.compile(r"(?<![\w/.-])(docs/(?:[\w.-]+/)*[\w.-]+\.md)")
LINK = re.compile(r"\]\(([^)\s]+)\)")
SPEC_REF = re.compile(r"spec (" + SECTION + r")")
HEADING = re.compile(r"^#+\s+(.*)$")
HEADING_NUMBER = re.compile(r"^§?(\d+(?:\.\d+)*)\.?(?:\s|$)")


def _files():
    for name in SCANNED:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        for f in candidates:
            if not f.is_file() or f.resolve() == THIS:
                continue
            if f.suffix not in TEXT_SUFFIXES and f.name != "Makefile":
                continue
            if SKIP_PARTS & set(f.parts) or any(p.endswith(".egg-info") for p in f.parts):
                continue
            try:
                text = f.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            yield f, text


FILES = list(_files())


def _is_doc(f: Path) -> bool:
    return f.suffix == ".md" and (DOCS in f.parents or f.parent == ROOT)


def _headings(doc: Path) -> tuple[set[str], list[str]]:
    """The section numbers (§3, §1.2, 3.) and the texts of a document's headings."""
    numbers, texts = set(), []
    for line in doc.read_text(encoding="utf-8").splitlines():
        if m := HEADING.match(line):
            text = m.group(1).strip()
            texts.append(text)
            if n := HEADING_NUMBER.match(text):
                numbers.add(n.group(1))
    return numbers, texts


def _resolve(f: Path, target: str) -> Path | None:
    """A document named from file f: relative to f (documents), then docs/, then the root."""
    bases = [f.parent, DOCS, ROOT] if _is_doc(f) else [ROOT]
    for base in bases:
        candidate = (base / target).resolve()
        if candidate.is_file():
            return candidate
    return None


def _where(f: Path, text: str, pos: int) -> str:
    return f"{f.relative_to(ROOT)}:{text.count(chr(10), 0, pos) + 1}"


def _missing_section(doc: Path, section: str) -> bool:
    numbers, texts = _headings(doc)
    if section == "§依据":
        return not any("依据" in t for t in texts)
    return section.removeprefix("§") not in numbers


def test_the_scan_reads_the_project():
    names = {f.relative_to(ROOT).as_posix() for f, _ in FILES}
    assert {"README.md", "docs/procedures.md", "src/ecogov/core/workdays.py"} <= names
    assert len(FILES) > 300


def test_nothing_points_outside_the_repository():
    found = [
        f"{_where(f, text, text.index(name))}: {name}"
        for f, text in FILES
        for name in OUTSIDE
        if name in text
    ]
    assert not found, "references outside the repository:\n" + "\n".join(found)


def test_every_docs_path_is_a_file_of_the_repository():
    missing = [
        f"{_where(f, text, m.start())}: {m.group(1)}"
        for f, text in FILES
        for m in DOCS_PATH.finditer(text)
        if not (ROOT / m.group(1)).is_file()
    ]
    assert not missing, "docs/ paths that are not files:\n" + "\n".join(missing)


def test_every_link_of_a_document_resolves():
    missing = []
    for f, text in FILES:
        if not _is_doc(f):
            continue
        for m in LINK.finditer(text):
            target = m.group(1).split("#", 1)[0]
            if not target or re.match(r"^[a-z]+:", target):
                continue  # an anchor in the same document, or a URL
            if not (f.parent / target).exists():
                missing.append(f"{_where(f, text, m.start())}: {m.group(1)}")
    assert not missing, "links to files that do not exist:\n" + "\n".join(missing)


def test_code_names_documents_by_their_docs_path():
    bare = [
        f"{_where(f, text, m.start())}: {m.group(0)}"
        for f, text in FILES
        if not _is_doc(f)
        for m in SECTION_REF.finditer(text)
        if not m.group(1).startswith("docs/")
    ]
    assert not bare, "cite a section as docs/<name>.md §…:\n" + "\n".join(bare)


def test_every_cited_section_exists():
    broken = []
    for f, text in FILES:
        for m in SECTION_REF.finditer(text):
            doc = _resolve(f, m.group(1) + ".md")
            if doc is None:
                broken.append(f"{_where(f, text, m.start())}: {m.group(1)}.md is not a file")
                continue
            for section in re.findall(SECTION, m.group(2)):
                if _missing_section(doc, section):
                    broken.append(f"{_where(f, text, m.start())}: no {section} in {doc.name}")
        for m in QUOTED_REF.finditer(text):
            doc = ROOT / (m.group(1) + ".md")
            if doc.is_file() and not any(m.group(2) in t for t in _headings(doc)[1]):
                broken.append(f'{_where(f, text, m.start())}: no heading "{m.group(2)}"')
    assert not broken, "sections cited but not found:\n" + "\n".join(broken)


def test_the_air_quality_spec_sections_exist():
    """`spec §x.y` in the air-quality code and document is docs/airquality.md §依据 §x.y."""
    doc = DOCS / "airquality.md"
    broken = [
        f"{_where(f, text, m.start())}: {m.group(0)}"
        for f, text in FILES
        for m in SPEC_REF.finditer(text)
        if _missing_section(doc, m.group(1))
    ]
    assert not broken, "spec sections not in docs/airquality.md:\n" + "\n".join(broken)


def test_each_area_document_gives_its_sources():
    """The area documents the code cites for rules carry the section 依据."""
    for name in [
        "procedures",
        "enforcement",
        "eia",
        "permits",
        "inspections",
        "matters",
        "legal",
        "airquality",
        "emergency",
        "reports",
        "figures",
    ]:
        assert not _missing_section(DOCS / f"{name}.md", "§依据"), name
