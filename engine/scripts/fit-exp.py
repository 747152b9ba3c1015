# The polynomials of the WebAssembly tanh, sigmoid and exp (activations.wat, softmax.wat): over
# |r| <= ln 2 / 2, the polynomial of a given degree with the least largest relative error, for
#   (e^r - 1) / r   degree 7 (tanh: e^r - 1 = r * P(r), so small r lose nothing), and
#   e^r             degree 8 (sigmoid, exp),
# by Lawson's iterations (weighted least squares, each point's weight multiplied by its error
# until the errors level out) on 20,001 Chebyshev points. Prints each one's coefficients, lowest
# first, as C99 hex floats for the .wat, and its largest relative error, evaluated as the kernels
# evaluate it (Estrin's scheme, float64) on 2 million random points. The kernels' rounding check
# needs the error well inside its interval (2^-34 for tanh, 2^-36 for the others), and
# engine/scripts/check-kernels.mjs then proves them on every float32 input.
#   /usr/bin/python3 engine/scripts/fit-exp.py
import math

import numpy as np

HALF_LN2 = math.log(2) / 2


def lawson(target, degree, iterations=150):
    x = np.cos(np.linspace(0, math.pi, 20001)) * HALF_LN2
    x = x[x != 0]
    y = target(x)
    powers = np.vander(x, degree + 1, increasing=True)
    weights = np.ones_like(x)
    for _ in range(iterations):
        w = np.sqrt(weights)[:, None]
        c, *_ = np.linalg.lstsq(powers * w / y[:, None], w[:, 0], rcond=None)
        error = np.abs(powers @ c / y - 1)
        weights = weights * error
        weights /= weights.sum()
    return c


def estrin(c, r):
    r2 = r * r
    r4 = r2 * r2
    pairs = [c[i] + r * c[i + 1] if i + 1 < len(c) else np.full_like(r, c[i]) for i in range(0, len(c), 2)]
    quads = [pairs[i] + r2 * pairs[i + 1] if i + 1 < len(pairs) else pairs[i] for i in range(0, len(pairs), 2)]
    total = quads[-1]
    for q in reversed(quads[:-1]):
        total = q + r4 * total
    return total


rng = np.random.default_rng(0)
r = (rng.random(2_000_000) * 2 - 1) * HALF_LN2
r = r[r != 0]
for name, target, degree in [
    ('(e^r - 1) / r (tanh)', lambda v: np.expm1(v) / v, 7),
    ('e^r (sigmoid, exp)', np.exp, 8),
]:
    c = lawson(target, degree)
    error = np.max(np.abs(estrin(c, r) / target(r) - 1))
    print(f'{name}, degree {degree}: largest relative error 2^{math.log2(error):.1f}')
    print('  ' + ' '.join(float(v).hex() for v in c))
