#!/usr/bin/env python3
"""Scores two Python reply parsers beside casebook's cleaner on the English corpus messages that
carry a `clean` expectation. Not run by CI (it needs pip packages); run by hand:

    python3 -m venv /tmp/rp && /tmp/rp/bin/pip install email-reply-parser mail-parser-reply
    cargo build && /tmp/rp/bin/python tests/tools/reply_parsers.py target/debug/casebook corpus

Every tool gets the same bodies: the ones `casebook parse --json` decoded. Outputs get the
corpus whitespace convention (lines trimmed, blank runs collapsed, ends dropped). The parsers have
no notion of a greeting, so a first line equal to the gold greeting is dropped from their output
before comparing (credit they would not get otherwise).
"""
import json
import os
import subprocess
import sys

from email_reply_parser import EmailReplyParser as ERP
from mailparser_reply import EmailReplyParser as MPR


def ndjson(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def norm(text):
    out = []
    for line in (text or '').splitlines():
        line = line.strip()
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return '\n'.join(out)


def expected_file(path):
    parent = os.path.dirname(path)
    if os.path.basename(parent) in ('cur', 'new', 'tmp'):
        return os.path.dirname(parent) + '.expected.json'
    return os.path.splitext(path)[0] + '.expected.json'


def main(binary, corpus):
    messages = ndjson([binary, 'parse', corpus, '--json'])
    ours = {}
    for case in ndjson([binary, 'cases', corpus, '--json', '--keep-pii']):
        for m in case['messages']:
            ours[(m['source']['path'], m['source']['index'])] = m['text']
    gold_cache = {}
    rows = []
    for m in messages:
        path, index = m['source']['path'], m['source']['index']
        exp = expected_file(path)
        if not os.path.basename(exp).startswith('en-') or not os.path.exists(exp):
            continue
        if exp not in gold_cache:
            gold_cache[exp] = {g['index']: g for g in json.load(open(exp))['messages']}
        gold = gold_cache[exp].get(index)
        if gold and 'clean' in gold:
            rows.append((m['body'], gold, ours.get((path, index))))
    mpr = MPR(languages=['en'])
    tools = {
        'email-reply-parser': lambda body: ERP.parse_reply(body),
        'mail-parser-reply': lambda body: (mpr.read(body).replies or [None])[0].body if mpr.read(body).replies else '',
    }
    print(f'English messages with a clean expectation: {len(rows)}')
    for name, parse in tools.items():
        hits = 0
        for body, gold, _ in rows:
            got = norm(parse(body))
            first, _, rest = got.partition('\n')
            if gold.get('greeting') and first == gold['greeting']:
                got = norm(rest)
            hits += got == gold['clean']
        print(f'{name:20} {hits}/{len(rows)} exact = {100 * hits / len(rows):.1f}%')
    hits = sum(1 for _, gold, text in rows if text == gold['clean'])
    print(f'{"casebook":20} {hits}/{len(rows)} exact = {100 * hits / len(rows):.1f}%')


if __name__ == '__main__':
    main(*(sys.argv[1:3] if len(sys.argv) >= 3 else ('target/debug/casebook', 'corpus')))
