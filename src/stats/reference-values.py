#!/usr/bin/env python3
# Independent reference values for the tests in src/stats/*.test.ts.
# Pure Python standard library (no SciPy): statistics.NormalDist for the normal distribution, a
# Numerical Recipes continued fraction for the incomplete beta (t distribution), closed forms for
# the chi-square upper tail at integer df, exact Fractions for binomial sums, ranks and H.
# Run: python3 src/stats/reference-values.py
import math
from fractions import Fraction
from statistics import NormalDist

N01 = NormalDist()
def z(level): return N01.inv_cdf(1 - (1 - level) / 2)

# --- regularized incomplete beta (Numerical Recipes continued fraction), for the t distribution
def betacf(a, b, x):
    MAXIT, EPS, FPMIN = 10000, 1e-16, 1e-300
    qab, qap, qam = a + b, a + 1, a - 1
    c, d = 1.0, 1 - qab * x / qap
    d = 1 / (d if abs(d) > FPMIN else FPMIN); h = d
    for m in range(1, MAXIT):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1 + aa * d; d = FPMIN if abs(d) < FPMIN else d
        c = 1 + aa / c; c = FPMIN if abs(c) < FPMIN else c
        d = 1 / d; h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1 + aa * d; d = FPMIN if abs(d) < FPMIN else d
        c = 1 + aa / c; c = FPMIN if abs(c) < FPMIN else c
        d = 1 / d; de = d * c; h *= de
        if abs(de - 1) < EPS: break
    return h
def betai(a, b, x):
    if x <= 0: return 0.0
    if x >= 1: return 1.0
    bt = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(1 - x))
    if x < (a + 1) / (a + b + 2): return bt * betacf(a, b, x) / a
    return 1 - bt * betacf(b, a, 1 - x) / b
def t_cdf(t, df):
    tail = 0.5 * betai(df / 2, 0.5, df / (df + t * t))
    return tail if t < 0 else 1 - tail
def t_quantile(p, df):
    lo, hi = -1e3, 1e3
    for _ in range(300):
        mid = (lo + hi) / 2
        if t_cdf(mid, df) < p: lo = mid
        else: hi = mid
    return (lo + hi) / 2
# --- chi-square upper tail by the closed-form recursion in df (exact for integer df)
def chi2_sf(x, df):
    if df % 2 == 0:
        return math.exp(-x / 2) * sum((x / 2) ** k / math.factorial(k) for k in range(df // 2))
    q = math.erfc(math.sqrt(x / 2)); k = 1
    while k < df:  # Q(k+2) = Q(k) + (x/2)^(k/2) e^(-x/2) / Gamma(k/2 + 1)
        q += math.exp((k / 2) * math.log(x / 2) - x / 2 - math.lgamma(k / 2 + 1)); k += 2
    return q

def show(name, *vals): print(name, *[repr(v) for v in vals])

print('--- distributions')
show('z95', z(0.95)); show('z99.8', z(0.998)); show('z90', z(0.90))
show('t(0.975, 9)', t_quantile(0.975, 9)); show('t(0.975, 17.776)', t_quantile(0.975, 17.776))
show('chi2_sf(3.841458820694124, 1)', chi2_sf(3.841458820694124, 1)); show('chi2_sf(10, 3)', chi2_sf(10, 3))

print('--- Wilson')
def wilson(x, n, level=0.95):
    zz = z(level); c = x + zz * zz / 2; r = zz * math.sqrt(x * (n - x) / n + zz * zz / 4)
    return ((c - r) / (n + zz * zz), (c + r) / (n + zz * zz))
show('8/10', wilson(8, 10)); show('0/10', wilson(0, 10)); show('10/10', wilson(10, 10)); show('1/1000000 @99%', wilson(1, 1000000, 0.99))

print('--- NPS Rocks')
def rocks(P, A, D, level=0.95):
    n = P + A + D; na = n + 3; p = (P + 0.75) / na; d = (D + 0.75) / na
    adj = p - d; se = math.sqrt((p + d - adj * adj) / na); zz = z(level)
    return dict(nps=(P - D) / n, adj=adj, var=se * se, se=se, ci=(max(-1, adj - zz * se), min(1, adj + zz * se)))
show('50/30/20', rocks(50, 30, 20)); show('10/0/0', rocks(10, 0, 0)); show('3/4/5 @90', rocks(3, 4, 5, 0.90))

print('--- mean / t interval')
def mean_ci(xs, level=0.95):
    n = len(xs); m = sum(Fraction(x) for x in xs) / n
    ss = sum((Fraction(x) - m) ** 2 for x in xs); var = ss / (n - 1)
    se = math.sqrt(var / n); tq = t_quantile(1 - (1 - level) / 2, n - 1)
    return dict(n=n, mean=float(m), var=float(var), sd=math.sqrt(var), se=se, t=tq, ci=(float(m) - tq * se, float(m) + tq * se))
csat = {1: 2, 2: 1, 3: 3, 4: 6, 5: 8}
xs = [v for v, c in csat.items() for _ in range(c)]
show('csat hist', mean_ci(xs))
show('sums', len(xs), sum(xs), sum(x * x for x in xs))

print('--- Welch: R sleep data, t.test(extra ~ group, data = sleep)')
g1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
g2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
def welch(a, b, level=0.95):  # after = b, before = a; delta = mean(b) - mean(a)
    A, B = mean_ci(a), mean_ci(b)
    v1, v2 = A['var'] / A['n'], B['var'] / B['n']; se = math.sqrt(v1 + v2)
    df = (v1 + v2) ** 2 / (v1 ** 2 / (A['n'] - 1) + v2 ** 2 / (B['n'] - 1))
    d = B['mean'] - A['mean']; t = d / se; p = 2 * t_cdf(-abs(t), df); tq = t_quantile(1 - (1 - level) / 2, df)
    return dict(delta=d, se=se, df=df, t=t, p=p, ci=(d - tq * se, d + tq * se))
show('sleep before=g2 after=g1', welch(g2, g1))
h1 = [12.5, 9.8, 14.1, 11.0, 10.2, 13.7, 12.9, 9.4]; h2 = [8.1, 10.4, 7.9, 11.8, 9.0, 8.6]
show('handle time', welch(h1, h2))

print('--- chi-square homogeneity')
def chisq(xs, ns):
    P = sum(xs) / sum(ns); X2 = sum((x - n * P) ** 2 / (n * P * (1 - P)) for x, n in zip(xs, ns)); df = len(xs) - 1
    return dict(X2=X2, df=df, p=chi2_sf(X2, df), minE=min(min(n * P, n * (1 - P)) for n in ns))
show('R chisq.test party', chisq([762, 327, 468], [762 + 484, 327 + 239, 468 + 477]))
show('R prop.test smokers', chisq([83, 90, 129, 70], [86, 93, 136, 82]))
show('fcr 3 agents', chisq([18, 25, 9], [30, 35, 25]))
show('2x2', chisq([3, 9], [10, 12]))

print('--- Kruskal-Wallis')
def kw(groups):
    allv = sorted(v for g in groups for v in g); N = len(allv)
    rank = {}
    i = 0
    while i < N:
        j = i
        while j < N and allv[j] == allv[i]: j += 1
        rank[allv[i]] = Fraction(i + 1 + j, 2); i = j
    R = [sum(rank[v] for v in g) for g in groups]
    ties = {}
    for v in allv: ties[v] = ties.get(v, 0) + 1
    C = 1 - Fraction(sum(t ** 3 - t for t in ties.values()), N ** 3 - N)
    H = (Fraction(12, N * (N + 1)) * sum(r * r / len(g) for r, g in zip(R, groups)) - 3 * (N + 1)) / C
    df = len(groups) - 1
    return dict(R=[str(r) for r in R], C=str(C), H=float(H), Hfrac=str(H), df=df, p=chi2_sf(float(H), df))
show('R example', kw([[2.9, 3.0, 2.5, 2.6, 3.2], [3.8, 2.7, 4.0, 2.4], [2.8, 3.4, 3.7, 2.2, 2.0]]))
show('ties', kw([[2, 3, 3, 5], [3, 6, 7, 5, 8], [1, 2, 3]]))
show('4 groups', kw([[10, 12, 12, 15, 20], [8, 9, 12, 11], [20, 22, 25, 21, 30, 19], [14, 15, 15, 16]]))

print('--- order-statistic CI')
def binom_cdf(k, n, p):
    p = Fraction(p).limit_denominator(10**12)
    return sum(math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(0, k + 1)) if k >= 0 else Fraction(0)
def qbinom(r, n, p):
    for k in range(n + 1):
        if binom_cdf(k, n, p) >= r: return k
def os_ci(n, p, level=0.95):
    a = 1 - level; l = qbinom(Fraction(a / 2).limit_denominator(10**9), n, p); u = qbinom(1 - Fraction(a / 2).limit_denominator(10**9), n, p) + 1
    cov = binom_cdf(u - 1, n, p) - binom_cdf(l - 1, n, p)
    return dict(k=max(1, math.ceil(n * Fraction(p).limit_denominator(1000))), l=l, u=u, coverage=float(cov))
show('n=10 p=.5', os_ci(10, 0.5)); show('n=100 p=.5', os_ci(100, 0.5)); show('n=50 p=.9', os_ci(50, 0.9))
show('n=6 p=.5', os_ci(6, 0.5)); show('n=5 p=.5 F(0)', float(binom_cdf(0, 5, 0.5)))
show('n=20 p=.9', os_ci(20, 0.9)); show('n=28 p=.9', os_ci(28, 0.9)); show('n=29 p=.9', os_ci(29, 0.9))

print('--- NPS compare')
def nps_cmp(b, a, level=0.95):
    rb, ra = rocks(*b), rocks(*a)
    d = ra['nps'] - rb['nps']; se = math.sqrt(rb['var'] + ra['var']); zz = z(level)
    zs = d / se; p = 2 * N01.cdf(-abs(zs))
    return dict(delta=d, se=se, z=zs, p=p, ci=(d - zz * se, d + zz * se))
show('Q1 40/30/30 -> Q2 55/25/20', nps_cmp((40, 30, 30), (55, 25, 20)))

print('--- proportion compare')
def newcombe(x1, n1, x2, n2, level=0.95):
    p1, p2 = x1 / n1, x2 / n2; l1, u1 = wilson(x1, n1, level); l2, u2 = wilson(x2, n2, level); d = p2 - p1
    P = (x1 + x2) / (n1 + n2); se0 = math.sqrt(P * (1 - P) * (1 / n1 + 1 / n2)); zs = d / se0
    return dict(delta=d, ci=(d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)), z=zs, p=2 * N01.cdf(-abs(zs)))
show('Newcombe (a) 48/80 -> 56/70', newcombe(48, 80, 56, 70))
show('Newcombe 0/20 -> 0/10', newcombe(0, 20, 1, 10))

print('--- funnel')
P = (30 + 45 + 10 + 90) / (40 + 50 + 30 + 100); show('pooled', P)
for n in (40, 50, 30, 100):
    for lv in (0.95, 0.998):
        h = z(lv) * math.sqrt(P * (1 - P) / n); show(f'n={n} lv={lv}', (P - h, P + h))

print('--- NPS: where does the published adjusted-Wald interval exclude the reported NPS? (n < 60)')
def rocks_excludes(level):
    out = []
    for n in range(1, 60):
        for P in range(n + 1):
            for D in range(n + 1 - P):
                r = rocks(P, n - P - D, D, level)
                if not (r['ci'][0] <= r['nps'] <= r['ci'][1]): out.append((P, n - P - D, D))
    return out
for lv in (0.9, 0.95, 0.99):
    bad = rocks_excludes(lv); show(f'level {lv}: {len(bad)} cases, largest n', max((sum(b) for b in bad), default=0), bad[:8])
