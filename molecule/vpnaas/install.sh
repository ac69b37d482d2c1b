#!/usr/bin/env bash
# Copyright: scs.kolla contributors
# Apache License 2.0 (see LICENSE or https://www.apache.org/licenses/LICENSE-2.0)
# Virtualenvs for the vpnaas scenario (idempotent; stamps per pinned version set):
#   neutron + neutron-vpnaas (2026.1) for oslo-config-validator: the release matrix's venv
#                                (tests/harness/kolla_ansible.py neutron-install)
#   .cache/src/neutron-vpnaas-24 neutron-vpnaas 2024.1 sources (no deps) for the release facts
#   .cache/src/kolla-ansible-18  kolla-ansible 2024.1 sources (no deps): its templates
#   .cache/venvs/kolla-ansible   via tests/harness/kolla_ansible.py
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=${SCS_KOLLA_CACHE:-$ROOT/.cache}
VENV=${SCS_KOLLA_VENV:-$ROOT/.venv}
UV=${UV:-$VENV/bin/uv}
VPNAAS_2024_1="neutron-vpnaas==24.0.2"
KOLLA_2024_1="kolla-ansible==18.8.0"

t0=$SECONDS
"$VENV/bin/python" "$ROOT/tests/harness/kolla_ansible.py" --release 2026.1 neutron-install >/dev/null
echo "phase neutron venv: $((SECONDS - t0)) s"

t0=$SECONDS
src=$CACHE/src/neutron-vpnaas-24
if [ ! -e "$src/.installed-$VPNAAS_2024_1" ]; then
    rm -rf "$src"
    "$UV" pip install -q --no-deps --no-compile --target "$src" "$VPNAAS_2024_1"
    touch "$src/.installed-$VPNAAS_2024_1"
fi
src=$CACHE/src/kolla-ansible-18
if [ ! -e "$src/.installed-$KOLLA_2024_1" ]; then
    rm -rf "$src"
    "$UV" pip install -q --no-deps --no-compile --target "$src" "$KOLLA_2024_1"
    touch "$src/.installed-$KOLLA_2024_1"
fi
echo "phase neutron-vpnaas 24 + kolla-ansible 18 sources (2024.1): $((SECONDS - t0)) s"

t0=$SECONDS
"$VENV/bin/python" "$ROOT/tests/harness/kolla_ansible.py" install >/dev/null
echo "phase kolla-ansible venv: $((SECONDS - t0)) s"
