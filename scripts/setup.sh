#!/usr/bin/env bash
# Prepares a fresh Debian machine for homemade-grad's tests: Debian's Chromium (driven by the
# e2e tests), Mesa's software OpenGL ES (WebGPU tests in Node), PyTorch and ONNX (the real clients
# of the export tests) and the npm dependencies from the lockfile. Electron's binary is an
# optional dependency: where it cannot be downloaded, npm skips it and the web build is used instead.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
# Mesa's EGL/GLES (llvmpipe): the software adapter the WebGPU tests use in Node (Dawn's OpenGL ES
# backend). Without it those tests are skipped by name.
compgen -G "/usr/lib/*/libEGL_mesa.so.0" >/dev/null || need_apt+=(libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri)
# The real clients the export tests run: Debian's PyTorch (with its optimized BLAS, as the
# benchmark's peer too), NumPy and the ONNX checker.
/usr/bin/python3 -c "import torch, numpy, onnx" >/dev/null 2>&1 || need_apt+=(python3-torch python3-numpy python3-onnx)
compgen -G "/usr/lib/*/openblas-pthread/libblas.so.3" >/dev/null || need_apt+=(libopenblas0-pthread)
if [ ${#need_apt[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" fonts-dejavu-core >/dev/null
  else
    echo "setup: please install Chromium at /usr/bin/chromium (needed by the e2e tests)" >&2
  fi
fi
npm ci --no-audit --no-fund
