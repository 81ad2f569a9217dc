#!/usr/bin/env bash
# Copies the CloudFormation registry schemas listed in schemas/resources.txt
# from an installed cfn-lint (which bundles them, MIT-0) into schemas/, then
# regenerates constructs/src/cfn/.
#
#   constructs/codegen/refresh-schemas.sh            # uses $PYTHON, else ./.venv/bin/python, else python3
#   PYTHON=/path/to/python constructs/codegen/refresh-schemas.sh
#
# Update schemas/README.md (cfn-lint version, schema date) when you refresh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-}"
if [[ -z "$python" ]]; then
  if [[ -x "$root/.venv/bin/python" ]]; then python="$root/.venv/bin/python"; else python=python3; fi
fi

data="$("$python" -c 'import cfnlint, os; print(os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas"))')"
version="$("$python" -c 'import cfnlint.version; print(cfnlint.version.__version__)')"
providers="$data/providers/us-east-1.json"
[[ -f "$providers" ]] || { echo "no $providers: is cfn-lint 1.x installed?" >&2; exit 1; }

# Drop the old copies so that types removed from resources.txt disappear.
find "$here/schemas" -name '*.json' -delete

grep -v '^\s*\(#\|$\)' "$here/schemas/resources.txt" | while read -r type_name; do
  id="$("$python" - "$providers" "$type_name" <<'PY'
import json, sys
providers = json.load(open(sys.argv[1]))
try:
    print(providers[sys.argv[2]])
except KeyError:
    sys.exit(f"{sys.argv[2]}: not in cfn-lint's provider list (misspelt, or not in us-east-1?)")
PY
)"
  file="$(echo "$type_name" | tr '[:upper:]' '[:lower:]' | sed 's/::/-/g').json"
  cp "$data/resources/$id.json" "$here/schemas/$file"
done

echo "copied $(find "$here/schemas" -name '*.json' | wc -l) schemas from cfn-lint $version ($(cat "$data/version.json" | tr -d '\n '))"
cd "$root" && cargo run -q -p ecscdk-codegen
