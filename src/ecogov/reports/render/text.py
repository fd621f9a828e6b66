"""The report as Markdown and as JSON (every figure with its kind and record count)."""

from __future__ import annotations

import json

from ..document import Document


def render_markdown(document: Document) -> str:
    lines = [f"# {document.title}", ""]
    for block in document.blocks:
        if block.level in (1, 2) and block.label:
            lines += [f"{'#' * (block.level + 1)} {block.label}", ""]
            run_in = ""
        else:
            run_in = f"**{block.run_in_label}**" if block.label else ""
        paragraphs = block.paragraphs or ([[]] if run_in else [])
        for i, runs in enumerate(paragraphs):
            text = "".join(f"**{r.text}**" if r.key and not r.missing else r.text for r in runs)
            lines += [(run_in if i == 0 else "") + text, ""]
    lines += [
        document.issuer,
        "",
        document.dated_text,
        "",
        "## 附件 数据来源",
        "",
        "| 序号 | 键 | 数据项 | 数值 | 单位 | 统计口径 | 记录数 |",
        "|---:|---|---|---:|---|---|---:|",
    ]
    for n, row in enumerate(document.figures, start=1):
        value = "暂无数据" if row.missing else row.display
        count = "" if row.record_count is None else str(row.record_count)
        cells = [str(n), f"`{row.key}`", row.label, value, row.unit, row.definition, count]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines).rstrip() + "\n"


def render_json(document: Document, issues=()) -> str:
    data = {
        "title": document.title,
        "outline": document.outline,
        "kind": document.kind,
        "year": document.year,
        "until": document.until,
        "division": document.division,
        "period": document.period_label,
        "issuer": document.issuer,
        "dated": document.dated,
        "figures": [
            {
                "key": r.key,
                "label": r.label,
                "value": r.value,
                "unit": r.unit,
                "kind": r.kind,
                "area": r.area,
                "record_count": r.record_count,
                "definition": r.definition,
                "missing": r.missing,
            }
            for r in document.figures
        ],
        "sections": [
            {
                "number": b.number,
                "heading": b.heading,
                "level": b.level,
                "source": b.source,
                "text": b.text(),
            }
            for b in document.blocks
        ],
        "issues": [
            {
                "kind": i.kind,
                "severity": i.severity,
                "message": i.message,
                "section": i.section,
                "keys": list(i.keys),
            }
            for i in issues
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
