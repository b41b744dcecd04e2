#!/usr/bin/env python3
"""Checks every #include of src/ and include/agora/ against the layer table.

The table is the one CMakeLists.txt builds the layer libraries from (it writes it to
BUILD/layers.txt as `layer: uses;uses`), so the build rules and this check cannot drift.
A file of layer L may include headers of L and of the layers L uses; src/main.cpp may
include anything. An upward include, a folder with no layer, or a public header that
includes a private one is reported with file and line, and the exit status is 1.

usage: check_layers.py SOURCE_DIR LAYERS_TXT
"""
import pathlib
import re
import sys

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def read_table(path):
    table = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, uses = line.partition(":")
        table[name.strip()] = {u for u in re.split(r"[;\s]+", uses) if u}
    return table


def layer_of_include(target, table):
    """The layer a quoted include names: agora/<layer>/x.hpp (public) or <layer>/x.hpp (private)."""
    parts = target.split("/")
    if len(parts) >= 3 and parts[0] == "agora" and parts[1] in table:
        return parts[1], True
    if len(parts) >= 2 and parts[0] in table:
        return parts[0], False
    return None, False


def main():
    source, layers_txt = pathlib.Path(sys.argv[1]), sys.argv[2]
    table = read_table(layers_txt)
    problems, checked, files = [], 0, 0
    roots = [(source / "src", False), (source / "include" / "agora", True)]
    for root, public in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix not in (".cpp", ".hpp", ".h") or not path.is_file():
                continue
            rel = path.relative_to(root)
            if rel.parts == ("main.cpp",):
                continue  # the command line wires everything
            layer = rel.parts[0] if len(rel.parts) > 1 else None
            shown = path.relative_to(source)
            if layer not in table:
                problems.append(f"{shown}: folder '{layer}' has no layer in CMakeLists.txt")
                continue
            files += 1
            allowed = table[layer] | {layer}
            for number, line in enumerate(path.read_text().splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = m.group(1)
                if "/" not in target:
                    if public:
                        problems.append(f"{shown}:{number}: public header includes private \"{target}\"")
                    checked += 1
                    continue
                included, is_public = layer_of_include(target, table)
                if included is None:
                    continue
                checked += 1
                if public and not is_public:
                    problems.append(f"{shown}:{number}: public header includes private \"{target}\"")
                elif included not in allowed:
                    problems.append(
                        f"{shown}:{number}: layer '{layer}' includes \"{target}\" of layer '{included}' "
                        f"(it may use: {', '.join(sorted(allowed))})")
    for p in problems:
        print(p)
    print(f"include layers: {files} files, {checked} includes checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
