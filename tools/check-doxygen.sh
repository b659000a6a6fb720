#!/usr/bin/env bash
# Runs Doxygen over the module's public headers (model/, helper/, doc/apartment-voip.h) with
# WARN_IF_UNDOCUMENTED and fails if any warning points into the module: every public class,
# member, typedef and enum must carry a comment. Used by ctest 'doc.doxygen'.
#   tools/check-doxygen.sh [output dir]   (default: a temporary directory)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$(mktemp -d)}
mkdir -p "$out"
log="$out/doxygen-warnings.log"
command -v doxygen >/dev/null || {
    echo "doxygen not found (Debian: apt-get install doxygen)" >&2
    exit 2
}
# ns-3's base classes, so that overrides (DoDispose, Serialize, StartApplication...) inherit
# their documentation as they do in ns-3's own Doxygen; their warnings are not counted.
ns3inc=""
for d in /usr/include/ns3* /usr/local/include/ns3*; do
    [ -f "$d/ns3/object.h" ] && ns3inc="$d/ns3" && break
    [ -f "$d/object.h" ] && ns3inc="$d" && break
done
bases=""
if [ -n "$ns3inc" ]; then
    for h in object-base object application chunk header tag dhcp-header traffic-control-layer; do
        bases="$bases $ns3inc/$h.h"
    done
fi
# XML only: fastest output that still makes Doxygen check every declaration.
doxygen - >"$out/doxygen.out" 2>&1 <<CONF
PROJECT_NAME           = apartment-voip
OUTPUT_DIRECTORY       = $out
INPUT                  = $src/model $src/helper $src/doc/apartment-voip.h $bases
FILE_PATTERNS          = *.h
RECURSIVE              = YES
EXTRACT_ALL            = NO
EXTRACT_PRIVATE        = NO
EXTRACT_STATIC         = NO
EXTRACT_LOCAL_CLASSES  = NO
EXTRACT_ANON_NSPACES   = NO
INHERIT_DOCS           = YES
HIDE_UNDOC_MEMBERS     = NO
HIDE_UNDOC_CLASSES     = NO
INTERNAL_DOCS          = NO
QUIET                  = YES
WARNINGS               = YES
WARN_IF_UNDOCUMENTED   = YES
WARN_IF_DOC_ERROR      = YES
WARN_NO_PARAMDOC       = NO
WARN_FORMAT            = "\$file:\$line: \$text"
WARN_LOGFILE           = $log
GENERATE_HTML          = NO
GENERATE_LATEX         = NO
GENERATE_XML           = YES
ENABLE_PREPROCESSING   = YES
MACRO_EXPANSION        = YES
PREDEFINED             = APARTMENT_VOIP_NS3_VERSION=399 APARTMENT_VOIP_INSTANCE_TYPE_ID=
CONF
# Every callback signature a trace source names in the module must be a typedef of that
# class (ns-3's introspection only keeps the string, so nothing else would notice a typo).
missing=0
for name in $(grep -rhoE '"ns3::apartment::[A-Za-z]+::[A-Za-z]+"' "$src/model" "$src/helper" --include=*.cc |
    tr -d '"' | sort -u); do
    cls=${name#ns3::apartment::}
    cls=${cls%%::*}
    sig=${name##*::}
    if ! grep -rlE "^class $cls\b" "$src/model" "$src/helper" --include=*.h |
        xargs -r grep -qE "\(\*$sig\)"; then
        echo "$name: no typedef $sig in class $cls" >&2
        missing=1
    fi
done
# Only warnings about the module's own files count (ns-3's headers are not read).
if grep -E "^$src/(model|helper|doc)/" "$log" >"$out/module-warnings.log"; then
    sed "s|^$src/||" "$out/module-warnings.log"
    echo "FAIL: $(wc -l <"$out/module-warnings.log") Doxygen warnings in the module" >&2
    exit 1
fi
[ $missing -eq 0 ] || exit 1
echo "PASS: no Doxygen warning in model/, helper/ or doc/apartment-voip.h"
