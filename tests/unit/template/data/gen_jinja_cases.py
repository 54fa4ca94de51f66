#!/usr/bin/env python3
"""Writes jinja_cases.json: template snippets per feature with the output real Jinja2 renders.

The environment is the one transformers' apply_chat_template builds (ImmutableSandboxedEnvironment,
trim_blocks, lstrip_blocks, loopcontrols, {% generation %}, json.dumps-based tojson,
raise_exception, strftime_now), unless a case sets its own whitespace options.
Usage: python3 gen_jinja_cases.py  (needs jinja2; rewrites jinja_cases.json next to this file)
"""
import json
import pathlib

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

HERE = pathlib.Path(__file__).parent


class Generation(Extension):
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


class Raised(Exception):
    pass


def make_env(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False):
    env = ImmutableSandboxedEnvironment(trim_blocks=trim_blocks, lstrip_blocks=lstrip_blocks,
                                        keep_trailing_newline=keep_trailing_newline,
                                        extensions=[Generation, loopcontrols])

    def raise_exception(message):
        raise Raised(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    return env


from cases_spec import CASES  # noqa: E402  (the inputs live in their own file)


def main():
    out = []
    for case in CASES:
        feature, name, source, context = case[:4]
        opts = case[4] if len(case) > 4 else {}
        entry = {"feature": feature, "name": name, "template": source, "context": context}
        if opts:
            entry["options"] = opts
        try:
            entry["expected"] = make_env(**opts).from_string(source).render(**context)
        except Raised as e:
            entry["raises"] = str(e)
        except jinja2.TemplateSyntaxError as e:
            entry["error"] = "syntax"
            entry["jinja2_message"] = f"{e.message} (line {e.lineno})"
        except Exception as e:  # noqa: BLE001 - any runtime failure is an expected error
            entry["error"] = "runtime"
            entry["jinja2_message"] = f"{type(e).__name__}: {e}"
        out.append(entry)
    doc = {
        "generated_with": f"jinja2 {jinja2.__version__} via gen_jinja_cases.py (inputs in cases_spec.py)",
        "cases": out,
    }
    (HERE / "jinja_cases.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(out)} cases")


if __name__ == "__main__":
    main()
