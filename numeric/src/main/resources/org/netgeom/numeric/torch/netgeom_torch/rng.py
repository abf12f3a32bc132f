"""SplitMix64, the same stream as netgeom's Java engine (org.netgeom.numeric.Rng), so that both
engines draw the same mini-batch order and start vectors."""
import math

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15


class Rng:
    def __init__(self, seed):
        self.state = seed & MASK

    @staticmethod
    def stream(seed, stream):
        r = Rng((seed & MASK) ^ ((GOLDEN * (stream + 1)) & MASK))
        r.next()
        return r

    def next(self):
        self.state = (self.state + GOLDEN) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return (self.next() >> 11) * 2.0 ** -53

    def below(self, bound):
        return self.next() % bound

    def gaussian(self):
        u1 = self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)

    def rademacher(self):
        return -1.0 if self.next() >= (1 << 63) else 1.0


def permutation(n, seed, epoch):
    """Fisher-Yates on Rng.stream(seed, 1000 + epoch), as the Java engine."""
    p = list(range(n))
    r = Rng.stream(seed, 1000 + epoch)
    for i in range(n - 1, 0, -1):
        j = r.below(i + 1)
        p[i], p[j] = p[j], p[i]
    return p


class Batches:
    """The mini-batch schedule: epoch e is permutation(N, seed, e) (or file order) cut into
    ceil(N/B) batches, the last one smaller when B does not divide N."""

    def __init__(self, n, size, shuffle, seed):
        self.n = n
        self.size = n if size <= 0 or size > n else size
        self.shuffle = shuffle and self.size < n
        self.seed = seed
        self._epoch = -1
        self._order = None

    def per_epoch(self):
        return (self.n + self.size - 1) // self.size

    def epoch(self, step):
        return step // self.per_epoch()

    def rows(self, step):
        e = self.epoch(step)
        b = step % self.per_epoch()
        if e != self._epoch:
            self._order = permutation(self.n, self.seed, e) if self.shuffle else None
            self._epoch = e
        lo = b * self.size
        hi = min(self.n, lo + self.size)
        return [self._order[i] if self._order is not None else i for i in range(lo, hi)]
