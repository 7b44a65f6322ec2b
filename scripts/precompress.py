"""Writes a gzip copy beside each file of the site's pkg directory that browsers download
(WASM, JS, CSS), for the server to send as is (server/src/assets.rs). zopfli's encoder makes
gzip some 5% smaller than gzip -9 (issue 8 counts bytes on the wire); without the zopfli module
the copies are plain gzip -9. Copies whose file is gone are removed."""

import gzip
import os
import sys
from concurrent.futures import ProcessPoolExecutor

try:
    import zopfli.gzip as zopfli_gzip
except ImportError:
    zopfli_gzip = None

KINDS = (".wasm", ".js", ".css")


def compress(path):
    with open(path, "rb") as f:
        data = f.read()
    packed = zopfli_gzip.compress(data) if zopfli_gzip else gzip.compress(data, 9, mtime=0)
    tmp = path + ".gz.tmp"
    with open(tmp, "wb") as f:
        f.write(packed)
    os.replace(tmp, path + ".gz")
    return len(data), len(packed)


def main(pkg):
    names = os.listdir(pkg)
    for name in names:
        if name.endswith(".gz") and name[:-3] not in names:
            os.remove(os.path.join(pkg, name))
    files = [os.path.join(pkg, n) for n in names if n.endswith(KINDS)]
    with ProcessPoolExecutor(os.cpu_count() or 1) as pool:
        sizes = list(pool.map(compress, files))
    raw, packed = sum(s[0] for s in sizes), sum(s[1] for s in sizes)
    how = "zopfli" if zopfli_gzip else "gzip -9 (no zopfli module)"
    print(f"precompressed {len(files)} files with {how}: {raw / 1000:.0f} KB to {packed / 1000:.0f} KB")


if __name__ == "__main__":
    main(sys.argv[1])
