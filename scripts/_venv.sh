# Shared helpers of scripts/test and scripts/tutorial (sourced, not run).
# find_python 3.X: prints the path of a CPython 3.X interpreter, or nothing.
find_python() {
    local minor=$1 candidate
    if command -v pyenv >/dev/null 2>&1; then
        for candidate in $(ls -d "$(pyenv root)"/versions/"$minor".*/bin/python"$minor" 2>/dev/null | sort -V -r); do
            [ -x "$candidate" ] && { echo "$candidate"; return; }
        done
    fi
    candidate=$(command -v "python$minor" 2>/dev/null) && [ -n "$candidate" ] && echo "$candidate"
}

# ensure_venv PYTHON DIR EXTRAS: a virtual environment in DIR with this
# checkout installed (editable) with EXTRAS; rebuilt when pyproject.toml changes.
ensure_venv() {
    local python=$1 dir=$2 extras=$3 stamp
    stamp="$(sha1sum pyproject.toml | cut -c1-40)-$extras"
    if [ ! -x "$dir/bin/python" ] || [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
        rm -rf "$dir"
        "$python" -m venv "$dir" || return 1
        "$dir/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip || return 1
        "$dir/bin/python" -m pip install -q --disable-pip-version-check -e ".[$extras]" || return 1
        echo "$stamp" > "$dir/.stamp"
    fi
}
