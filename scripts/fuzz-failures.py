"""Every failing check in schemathesis NDJSON reports, grouped by operation, check and answer.

    python3 scripts/fuzz-failures.py [--brief] .fuzz-report/*/ndjson-*.ndjson

schemathesis prints one failure per operation and check; the NDJSON event stream holds every
case it sent. This groups them by (operation, check, status, problem `code`, field messages) so
each distinct cause shows once, with how often it happened and one example request and answer
(--brief: one line per group). Exit status 1 when there is any failing check.
Standard library only (run by scripts/fuzz.sh with the fuzz venv's python).
"""

from __future__ import annotations

import base64
import json
import re
import sys
from collections import defaultdict

LIMIT = 300


def decode(blob: object) -> str | None:
    if blob is None:
        return None
    if isinstance(blob, dict) and "$base64" in blob:
        return base64.b64decode(blob["$base64"]).decode("utf-8", "replace")
    return blob if isinstance(blob, str) else json.dumps(blob)


def short(text: str | None) -> str:
    if text is None:
        return "-"
    text = text.replace("\n", "\\n")
    return text if len(text) <= LIMIT else text[:LIMIT] + f"… ({len(text)} chars)"


def field_message(message: str) -> str:
    # Unknown-field messages name the (random) field: keep only their kind.
    if re.match(r"^property .* should not exist$", message, re.S) or message == "is not an accepted field":
        return "<unknown field refused>"
    return message


def signature(status: int | None, body: str | None) -> tuple[str, str]:
    try:
        problem = json.loads(body) if body else None
    except ValueError:
        problem = None
    if not isinstance(problem, dict):
        return "-", short(body)[:80]
    fields = sorted({f"{e.get('field') if field_message(e.get('message', '')) != '<unknown field refused>' else '*'}: {field_message(e.get('message', ''))}" for e in problem.get("errors") or [] if isinstance(e, dict)})
    return str(problem.get("code", "-")), "; ".join(fields) or str(problem.get("detail", ""))


def main(args: list[str]) -> int:
    brief = "--brief" in args
    paths = [a for a in args if a != "--brief"]
    groups: dict[tuple, list] = defaultdict(list)
    for path in paths:
        run = path.split("/")[-2] if "/" in path else path
        with open(path, encoding="utf-8") as stream:
            for line in stream:
                event = json.loads(line)
                finished = event.get("ScenarioFinished")
                if not finished:
                    continue
                recorder = finished["recorder"]
                for case_id, checks in (recorder.get("checks") or {}).items():
                    for check in checks:
                        if check.get("status") != "failure":
                            continue
                        interaction = (recorder.get("interactions") or {}).get(case_id) or {}
                        request = interaction.get("request") or {}
                        response = interaction.get("response") or {}
                        status = response.get("status_code")
                        answer = decode(response.get("content", response.get("body")))
                        code, fields = signature(status, answer)
                        failure = (check.get("failure_info") or {}).get("failure") or {}
                        key = (recorder.get("label"), check["name"], status, code, fields)
                        groups[key].append(
                            {
                                "run": run,
                                "phase": finished.get("phase"),
                                "request": f"{request.get('method')} {re.sub(r'^https?://[^/]+', '', request.get('uri', ''))}",
                                "content_type": ((request.get("headers") or {}).get("Content-Type") or ["-"])[0],
                                "body": decode(request.get("body")),
                                "answer": answer,
                                "expected": failure.get("message", "").split("\n", 1)[-1],
                                "title": failure.get("title", ""),
                            }
                        )
    if not groups:
        print("no failing checks")
        return 0
    print(f"{sum(len(v) for v in groups.values())} failing checks in {len(groups)} groups")
    for (label, check, status, code, fields), cases in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1], str(kv[0][2]))):
        runs = ",".join(sorted({c["run"] for c in cases}))
        example = min(cases, key=lambda c: len(c["body"] or ""))
        if brief:
            print(f"  {label}  [{check}]  -> {status} {code}: {short(fields)[:90]}  x{len(cases)} ({runs})")
            continue
        print(f"\n{label}  [{check}]  -> {status} {code}  x{len(cases)} ({runs})")
        print(f"  {example['title']}; {example['expected']}")
        if fields:
            print(f"  answer says: {short(fields)}")
        print(f"  request: {example['request']} ({example['content_type']}) {short(example['body'])}")
        print(f"  answer:  {short(example['answer'])}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
