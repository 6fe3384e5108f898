// Penalised logistic regression with non-negative weights, by projected
// Newton steps (w >= 0). The model: P(churn) = σ(b − Σ w_j·x_j), with x_j a measure's points
// scaled to 0..1, so a positive weight means "more points, less churn" — the
// only direction a health-score weight can express. The penalty pulls the
// weights toward scale·prior rather than toward zero: with few outcomes the
// fit stays near the measures' own separation; with many, the data decide.

export interface Design {
  /** Row-major n × d, values 0..1 (missing already imputed). */
  x: Float64Array;
  n: number;
  d: number;
  /** 1 = churned, 0 = renewed. */
  y: Uint8Array;
}

export interface LogisticFit {
  intercept: number;
  weights: Float64Array;
  sweeps: number;
}

export interface FitOptions {
  /** Penalty strength: λ·Σ(w_j − target_j)² added to the mean log-loss. */
  lambda: number;
  /** Where the penalty pulls each weight (scale·prior). */
  target: Float64Array;
  /** Rows to fit on (default all). */
  rows?: Int32Array;
  /** Warm start. */
  start?: LogisticFit;
  /** Newton iterations at most. */
  maxSweeps?: number;
  tolerance?: number;
}

const sigmoid = (t: number) => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

export function fitNonNegativeLogistic(design: Design, options: FitOptions): LogisticFit {
  const { d } = design;
  const rows = options.rows ?? Int32Array.from({ length: design.n }, (_, i) => i);
  const { lambda, target } = options;
  // θ = [b, w_1..w_d]; w ≥ 0.
  const theta = new Float64Array(d + 1);
  const startWeights = options.start?.weights ?? target;
  for (let j = 0; j < d; j += 1) theta[j + 1] = Math.max(0, startWeights[j] ?? 0);
  theta[0] = options.start?.intercept ?? initialIntercept(design, rows, theta.subarray(1));
  const maxIterations = options.maxSweeps ?? 100;
  const tolerance = options.tolerance ?? 1e-8;
  let f = objective(design, rows, theta, lambda, target);
  const g = new Float64Array(d + 1);
  const h = new Float64Array((d + 1) * (d + 1));
  let iterations = 0;
  // Projected Newton (Bertsekas): Newton steps on the coordinates that are
  // free to move, a halving line search on the projected path; convex, so a
  // handful of iterations reach the optimum.
  for (; iterations < maxIterations; iterations += 1) {
    derivatives(design, rows, theta, lambda, target, g, h);
    const free: number[] = [0];
    for (let j = 1; j <= d; j += 1) if ((theta[j] ?? 0) > 1e-12 || (g[j] ?? 0) < 0) free.push(j);
    const step = solveNewton(h, g, d + 1, free);
    if (step === null) break;
    let t = 1;
    let accepted = false;
    const next = new Float64Array(d + 1);
    for (let halvings = 0; halvings < 40; halvings += 1, t /= 2) {
      next.set(theta);
      free.forEach((j, k) => {
        const moved = (theta[j] ?? 0) + t * (step[k] ?? 0);
        next[j] = j === 0 ? moved : Math.max(0, moved);
      });
      const fNext = objective(design, rows, next, lambda, target);
      if (fNext <= f + 1e-15) {
        accepted = true;
        let largest = 0;
        for (let j = 0; j <= d; j += 1) largest = Math.max(largest, Math.abs((next[j] ?? 0) - (theta[j] ?? 0)));
        theta.set(next);
        const improvement = f - fNext;
        f = fNext;
        if (largest < tolerance || improvement < 1e-13) return done(theta, iterations + 1);
        break;
      }
    }
    if (!accepted) break;
  }
  return done(theta, iterations);
}

function done(theta: Float64Array, sweeps: number): LogisticFit {
  return { intercept: theta[0] ?? 0, weights: Float64Array.from(theta.subarray(1)), sweeps };
}

/** Mean log-loss plus the penalty. */
function objective(design: Design, rows: Int32Array, theta: Float64Array, lambda: number, target: Float64Array): number {
  const { x, d, y } = design;
  let loss = 0;
  for (const row of rows) {
    let eta = theta[0] ?? 0;
    const base = row * d;
    for (let j = 0; j < d; j += 1) eta -= (theta[j + 1] ?? 0) * (x[base + j] ?? 0);
    // log(1 + e^η) − y·η, computed without overflow.
    loss += (eta > 0 ? eta + Math.log1p(Math.exp(-eta)) : Math.log1p(Math.exp(eta))) - (y[row] ?? 0) * eta;
  }
  let penalty = 0;
  for (let j = 0; j < d; j += 1) penalty += ((theta[j + 1] ?? 0) - (target[j] ?? 0)) ** 2;
  return loss / Math.max(rows.length, 1) + lambda * penalty;
}

/** Gradient and Hessian of the objective in θ = [b, w]; η = b − Σ w_j x_j. */
function derivatives(design: Design, rows: Int32Array, theta: Float64Array, lambda: number, target: Float64Array, g: Float64Array, h: Float64Array): void {
  const { x, d, y } = design;
  const k = d + 1;
  g.fill(0);
  h.fill(0);
  const z = new Float64Array(k);
  z[0] = 1;
  for (const row of rows) {
    const base = row * d;
    let eta = theta[0] ?? 0;
    for (let j = 0; j < d; j += 1) {
      const v = -(x[base + j] ?? 0);
      z[j + 1] = v;
      eta += (theta[j + 1] ?? 0) * v;
    }
    const p = sigmoid(eta);
    const r = p - (y[row] ?? 0);
    const w = p * (1 - p);
    for (let a = 0; a < k; a += 1) {
      const za = z[a] ?? 0;
      g[a] = (g[a] ?? 0) + r * za;
      const wa = w * za;
      for (let b = a; b < k; b += 1) h[a * k + b] = (h[a * k + b] ?? 0) + wa * (z[b] ?? 0);
    }
  }
  const m = Math.max(rows.length, 1);
  for (let a = 0; a < k; a += 1) {
    g[a] = (g[a] ?? 0) / m;
    for (let b = a; b < k; b += 1) {
      const v = (h[a * k + b] ?? 0) / m;
      h[a * k + b] = v;
      h[b * k + a] = v;
    }
  }
  for (let j = 1; j < k; j += 1) {
    g[j] = (g[j] ?? 0) + 2 * lambda * ((theta[j] ?? 0) - (target[j - 1] ?? 0));
    h[j * k + j] = (h[j * k + j] ?? 0) + 2 * lambda;
  }
}

/** Solves H_FF·s = −g_F by Cholesky (with a small ridge if H is near-singular); null if it cannot. */
function solveNewton(h: Float64Array, g: Float64Array, k: number, free: readonly number[]): Float64Array | null {
  const n = free.length;
  for (let ridge = 0; ridge <= 1e-2; ridge = ridge === 0 ? 1e-10 : ridge * 100) {
    const l = new Float64Array(n * n);
    let ok = true;
    for (let i = 0; i < n && ok; i += 1) {
      for (let j = 0; j <= i; j += 1) {
        let sum = (h[(free[i] ?? 0) * k + (free[j] ?? 0)] ?? 0) + (i === j ? ridge : 0);
        for (let q = 0; q < j; q += 1) sum -= (l[i * n + q] ?? 0) * (l[j * n + q] ?? 0);
        if (i === j) {
          if (sum <= 1e-14) {
            ok = false;
            break;
          }
          l[i * n + i] = Math.sqrt(sum);
        } else l[i * n + j] = sum / (l[j * n + j] ?? 1);
      }
    }
    if (!ok) continue;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i += 1) {
      let sum = -(g[free[i] ?? 0] ?? 0);
      for (let q = 0; q < i; q += 1) sum -= (l[i * n + q] ?? 0) * (out[q] ?? 0);
      out[i] = sum / (l[i * n + i] ?? 1);
    }
    for (let i = n - 1; i >= 0; i -= 1) {
      let sum = out[i] ?? 0;
      for (let q = i + 1; q < n; q += 1) sum -= (l[q * n + i] ?? 0) * (out[q] ?? 0);
      out[i] = sum / (l[i * n + i] ?? 1);
    }
    return out;
  }
  return null;
}

/** Log-odds of churn at the starting weights' mean score: a start near the answer. */
function initialIntercept(design: Design, rows: Int32Array, weights: ArrayLike<number>): number {
  let churned = 0;
  let meanScore = 0;
  for (const row of rows) {
    churned += design.y[row] ?? 0;
    for (let j = 0; j < design.d; j += 1) meanScore += (weights[j] ?? 0) * (design.x[row * design.d + j] ?? 0);
  }
  const rate = Math.min(Math.max(churned / Math.max(rows.length, 1), 1e-3), 1 - 1e-3);
  return Math.log(rate / (1 - rate)) + meanScore / Math.max(rows.length, 1);
}

/** Mean log-loss of a fit on some rows (for choosing the penalty). */
export function logLoss(design: Design, fit: LogisticFit, rows: Int32Array): number {
  let loss = 0;
  for (const row of rows) {
    let eta = fit.intercept;
    for (let j = 0; j < design.d; j += 1) eta -= (fit.weights[j] ?? 0) * (design.x[row * design.d + j] ?? 0);
    const p = Math.min(Math.max(sigmoid(eta), 1e-12), 1 - 1e-12);
    loss -= design.y[row] ? Math.log(p) : Math.log(1 - p);
  }
  return loss / Math.max(rows.length, 1);
}

/**
 * The single coefficient that best fits σ(b − c·z) for a composite z = Σ π_j x_j:
 * how strongly the prior's direction predicts churn, which scales the prior
 * into weights the penalty can pull toward.
 */
export function fitPriorScale(design: Design, prior: Float64Array, rows?: Int32Array): number {
  const z = new Float64Array(design.n);
  for (let i = 0; i < design.n; i += 1) {
    let s = 0;
    for (let j = 0; j < design.d; j += 1) s += (prior[j] ?? 0) * (design.x[i * design.d + j] ?? 0);
    z[i] = s;
  }
  const single: Design = { x: z, n: design.n, d: 1, y: design.y };
  const fit = fitNonNegativeLogistic(single, { lambda: 0, target: new Float64Array([0]), ...(rows ? { rows } : {}), maxSweeps: 200 });
  return fit.weights[0] ?? 0;
}
