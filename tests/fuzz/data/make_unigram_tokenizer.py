#!/usr/bin/env python3
"""Writes unigram/tokenizer.json: a small T5/ALBERT-style Unigram tokenizer for the Unigram fuzz
target (none of the fixtures is a Unigram model). Deterministic; run it again only to change it.
The pipeline: Nmt + NFKC + collapse of repeated spaces, Metaspace pre-tokenizer, Unigram with
byte fallback (the <0xNN> pieces), `</s>` appended by TemplateProcessing, and a Metaspace +
ByteFallback + Fuse decoder."""
import json
import math
import os

SPECIAL = ["<unk>", "<pad>", "</s>"]
WORDS = ("the of and to in is was for on that with as by at from it his an were are which this "
         "be has or had not but first one their its new after who they have her she two been "
         "other when there all during into school time may years more most only over city some "
         "world would where later up such used many can state about national out known united "
         "then made these high also new year under between three early part well century").split()
SUFFIXES = "s ed ing er ly tion al es ment ness able ity ic ous ive".split()


def pieces():
    seen = set(SPECIAL)
    out = []

    def add(p):
        if p not in seen:
            seen.add(p)
            out.append(p)

    for w in WORDS:
        add("\u2581" + w)
    for s in SUFFIXES:
        add(s)
    for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?'\"()-":
        add(c)
        add("\u2581" + c)
    for w in WORDS[:40]:
        for k in range(2, len(w)):
            add(w[:k])
    add("\u2581")
    for c in "éàüßøñçœ€£¥—–…中文日本語한국어":
        add(c)
    return out


def main():
    vocab = [[t, 0.0] for t in SPECIAL]
    vocab += [[f"<0x{b:02X}>", -20.0] for b in range(256)]
    for rank, p in enumerate(pieces()):
        vocab.append([p, round(-math.log(rank + 2) - 0.1 * len(p), 4)])
    eos = SPECIAL.index("</s>")
    tok = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True} for i, t in enumerate(SPECIAL)],
        "normalizer": {"type": "Sequence", "normalizers": [
            {"type": "Nmt"}, {"type": "NFKC"},
            {"type": "Replace", "pattern": {"Regex": " {2,}"}, "content": " "}]},
        "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
                          "split": True},
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [{"Sequence": {"id": "A", "type_id": 0}},
                       {"SpecialToken": {"id": "</s>", "type_id": 0}}],
            "pair": [{"Sequence": {"id": "A", "type_id": 0}},
                     {"SpecialToken": {"id": "</s>", "type_id": 0}},
                     {"Sequence": {"id": "B", "type_id": 1}},
                     {"SpecialToken": {"id": "</s>", "type_id": 1}}],
            "special_tokens": {"</s>": {"id": "</s>", "ids": [eos], "tokens": ["</s>"]}}},
        "decoder": {"type": "Sequence", "decoders": [
            {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always",
             "split": True},
            {"type": "ByteFallback"}, {"type": "Fuse"}]},
        "model": {"type": "Unigram", "unk_id": 0, "vocab": vocab, "byte_fallback": True},
    }
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "unigram", "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tok, f, ensure_ascii=False, indent=1)
        f.write("\n")
    cfg = {"eos_token": "</s>", "pad_token": "<pad>", "unk_token": "<unk>",
           "tokenizer_class": "T5Tokenizer", "model_max_length": 512}
    with open(os.path.join(here, "unigram", "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
