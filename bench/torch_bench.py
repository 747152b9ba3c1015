# PyTorch's figures for the same benchmarks, measured in the same run as ours (called by
# bench/pytorch.ts with Debian's /usr/bin/python3, once per thread count). The thread count is
# pinned on every level PyTorch uses — OPENBLAS_NUM_THREADS and OMP_NUM_THREADS are set by the
# caller before this process starts, torch.set_num_threads here — and the configuration torch
# actually runs with (the BLAS library loaded, oneDNN, CPU capability) is reported, so a torch on
# the reference BLAS is never mistaken for one with OpenBLAS. Prints one JSON object.
import json
import os
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
torch.set_num_threads(threads)
torch.set_num_interop_threads(1)
torch.manual_seed(0)


def best(fn, seconds=1.0, runs=3):
    fn()
    out = float("inf")
    for _ in range(runs):
        n, start = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds / runs:
                break
        out = min(out, elapsed / n)
    return out


def blas_library():
    """The BLAS shared library this process has loaded (after a matmul), from /proc/self/maps."""
    torch.randn(64, 64) @ torch.randn(64, 64)
    try:
        with open("/proc/self/maps") as maps:
            libs = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    except OSError:
        return "unknown"
    return ", ".join(libs) or "none loaded (torch's own kernels)"


def matmul(n):
    a, b = torch.randn(n, n), torch.randn(n, n)
    return 2 * n**3 / best(lambda: a @ b) / 1e9


def train_step(model, x, y, lr=1e-3):
    opt = torch.optim.Adam(model.parameters(), lr=lr)

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()

    return 1 / best(step)


def classifier_step(widths, batch, lr):
    """Steps/s of Linear+ReLU layers of these widths, cross-entropy, Adam."""
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    x, y = torch.randn(batch, widths[0]), torch.randint(0, widths[-1], (batch,))
    return train_step(torch.nn.Sequential(*layers[:-1]), x, y, lr)


def cnn_step(batch_norm=False):
    """The CNN; with batch_norm, a BatchNorm2d after each convolution (as the studio's palette builds it)."""
    nn = torch.nn
    norm = (lambda c: [nn.BatchNorm2d(c)]) if batch_norm else (lambda c: [])
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), *norm(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), *norm(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(1568, 128), nn.ReLU(), nn.Linear(128, 10),
    )
    return train_step(model, torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,)))


class CharRnn(torch.nn.Module):
    """Embedding 65→32, tanh RNN 128 (fused nn.RNN, or an RNNCell loop), Linear 128→65."""

    def __init__(self, fused):
        super().__init__()
        self.fused = fused
        self.embed = torch.nn.Embedding(65, 32)
        self.rnn = torch.nn.RNN(32, 128, batch_first=True) if fused else torch.nn.RNNCell(32, 128)
        self.head = torch.nn.Linear(128, 65)

    def forward(self, ids):
        e = self.embed(ids)
        if self.fused:
            out = self.rnn(e)[0]
        else:
            h, outs = torch.zeros(ids.shape[0], 128), []
            for t in range(ids.shape[1]):
                h = self.rnn(e[:, t], h)
                outs.append(h)
            out = torch.stack(outs, 1)
        return self.head(out).reshape(-1, 65)


def rnn_step(fused):
    x, y = torch.randint(0, 65, (32, 32)), torch.randint(0, 65, (32 * 32,))
    return train_step(CharRnn(fused), x, y)


def overhead():
    one = torch.ones(4)

    def chain():
        x = torch.randn(4, requires_grad=True)
        y = x
        for _ in range(10000):
            y = y + one
        y.sum().backward()

    return best(chain, seconds=2.0) / 10000 * 1e6


blas = blas_library()
print(
    json.dumps(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "config": {
                "blas": blas,
                "reference_blas": "openblas" not in blas.lower() and "mkl" not in blas.lower(),
                "openblas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
                "omp_threads": os.environ.get("OMP_NUM_THREADS"),
                "mkldnn": torch.backends.mkldnn.is_available(),
                "cpu_capability": torch.backends.cpu.get_cpu_capability()
                if hasattr(torch.backends, "cpu") and hasattr(torch.backends.cpu, "get_cpu_capability")
                else "unknown",
            },
            "matmul": {str(n): matmul(n) for n in (128, 512, 1024)},
            "mlp": classifier_step([784, 256, 128, 10], 128, 1e-3),
            "cnn": cnn_step(),
            "cnnBn": cnn_step(True),
            "rnn": rnn_step(True),
            "rnnCell": rnn_step(False),
            "tiny": classifier_step([2, 16, 16, 3], 32, 1e-2),
            "overhead": overhead(),
        }
    )
)
