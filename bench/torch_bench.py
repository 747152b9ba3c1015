# PyTorch's figures for the same benchmarks, measured in the same run as ours (called by
# bench/pytorch.ts with Debian's /usr/bin/python3). Prints one JSON object.
import json
import time

import torch


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


def matmul(n):
    a, b = torch.randn(n, n), torch.randn(n, n)
    return 2 * n**3 / best(lambda: a @ b) / 1e9


def classifier_step(widths, batch, lr):
    """Steps/s of Linear+ReLU layers of these widths, cross-entropy, Adam."""
    layers = []
    for a, b in zip(widths, widths[1:]):
        layers += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    x, y = torch.randn(batch, widths[0]), torch.randint(0, widths[-1], (batch,))

    def step():
        opt.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        opt.step()

    return 1 / best(step)


def rnn_step():
    embed, cell, head = torch.nn.Embedding(65, 32), torch.nn.RNNCell(32, 128), torch.nn.Linear(128, 65)
    params = [*embed.parameters(), *cell.parameters(), *head.parameters()]
    opt = torch.optim.Adam(params, lr=1e-3)
    x, y = torch.randint(0, 65, (32, 32)), torch.randint(0, 65, (32 * 32,))

    def step():
        opt.zero_grad()
        e = embed(x)
        h = torch.zeros(32, 128)
        outs = []
        for t in range(32):
            h = cell(e[:, t], h)
            outs.append(h)
        logits = head(torch.stack(outs, 1).reshape(-1, 128))
        torch.nn.functional.cross_entropy(logits, y).backward()
        opt.step()

    return 1 / best(step)


def overhead():
    one = torch.ones(4)

    def chain():
        x = torch.randn(4, requires_grad=True)
        y = x
        for _ in range(10000):
            y = y + one
        y.sum().backward()

    return best(chain, seconds=2.0) / 10000 * 1e6


print(
    json.dumps(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "matmul": {str(n): matmul(n) for n in (128, 512, 1024)},
            "mlp": classifier_step([784, 256, 128, 10], 128, 1e-3),
            "rnn": rnn_step(),
            "tiny": classifier_step([2, 16, 16, 3], 32, 1e-2),
            "overhead": overhead(),
        }
    )
)
