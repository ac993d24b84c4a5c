#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Checks kernel/kuchan.yaml as the kernel's tools would read it.

Usage: check_spec.py SPEC GENETLINK_SCHEMA YNL_DIR

1. The spec is valid against Documentation/netlink/genetlink.yaml (what
   the kernel's tools/net/ynl validate specs with), by python3-jsonschema.
2. YNL's own reader (YNL_DIR/lib/nlspec.py) loads it with that schema:
   every nested-attributes, enum, attribute-set and mcgrp it names exists.
3. What the guest suite drives is there: the ops, the notification, and
   the multi-attrs and pads of protocol version 2.
"""
import sys

import jsonschema
import yaml


def main():
    spec_path, schema_path, ynl_dir = sys.argv[1:4]
    with open(spec_path) as f:
        spec = yaml.safe_load(f)
    with open(schema_path) as f:
        schema = yaml.safe_load(f)
    jsonschema.validate(spec, schema)
    print(f"{spec_path}: valid against {schema_path}")

    sys.path.insert(0, ynl_dir)
    from lib import SpecFamily  # noqa: E402 (YNL's own reader)
    fam = SpecFamily(spec_path, schema_path)
    ops = set(fam.ops)
    want = {"signal", "helper-set", "helper-get", "helper-clear", "emit",
            "get-stats", "subscribe", "unsubscribe"}
    if not want <= ops:
        sys.exit(f"{spec_path}: ops missing: {sorted(want - ops)}")
    if "event-ntf" not in fam.ntfs:
        sys.exit(f"{spec_path}: no event-ntf notification")
    sets = fam.attr_sets
    for space, name in [("signal", "targets"), ("helper", "args"),
                        ("custom", "data"), ("stats", "per-type")]:
        if not sets[space][name].is_multi:
            sys.exit(f"{spec_path}: {space}.{name} is not multi-attr")
    for space in ["event", "process", "stats", "type-stats", "helper"]:
        if not any(a.type == "pad" for a in sets[space].attrs.values()):
            sys.exit(f"{spec_path}: set {space} has no pad attribute")
    # SIGNAL's reply is of its request's set: its results alone.
    rep = fam.msgs["signal"].yaml["do"]["reply"]["attributes"]
    if rep != ["results"]:
        sys.exit(f"{spec_path}: signal's reply is {rep}, not [results]")
    # HELPER_SET's request leaves out the reply-only static path.
    req = fam.msgs["helper-set"].yaml["do"]["request"]["attributes"]
    if "static-path" in req:
        sys.exit(f"{spec_path}: helper-set's request lists static-path")
    print(f"{spec_path}: loads in YNL ({len(ops)} ops, {len(sets)} sets)")


if __name__ == "__main__":
    main()
