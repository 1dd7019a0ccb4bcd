import {
  create, type EvalFunction,
  compileDependencies, parseDependencies, addDependencies, subtractDependencies, multiplyDependencies,
  divideDependencies, powDependencies, modDependencies, unaryMinusDependencies, minDependencies, maxDependencies,
  floorDependencies, ceilDependencies, roundDependencies, sqrtDependencies, log2Dependencies, absDependencies,
} from 'mathjs';
import { UserError } from '../errors.js';

// A private mathjs instance with only the arithmetic a channel expression needs: loading all of mathjs
// costs ~0.3 s per CLI start; user files cannot define or import functions.
const math = create({
  compileDependencies, parseDependencies, addDependencies, subtractDependencies, multiplyDependencies,
  divideDependencies, powDependencies, modDependencies, unaryMinusDependencies, minDependencies, maxDependencies,
  floorDependencies, ceilDependencies, roundDependencies, sqrtDependencies, log2Dependencies, absDependencies,
}, {});
const compiled = new Map<string, { code: EvalFunction; symbols: string[] }>();

export type Scope = Readonly<Record<string, number>>;
export type Expr = number | string;

/** Evaluate a channel/size expression such as "2*M" or "M/num_slices*min(i,5)" over a scope. */
export function evalExpr(expr: Expr, scope: Scope, where: { file?: string; field: string }): number {
  if (typeof expr === 'number') {
    if (!Number.isFinite(expr) || Math.abs(expr) > Number.MAX_SAFE_INTEGER) {
      throw new UserError(`${expr} is beyond 2^53 (allowed: |value| <= ${Number.MAX_SAFE_INTEGER})`, where);
    }
    return expr;
  }
  if (expr.length > 1000) throw new UserError(`expression of ${expr.length} characters (allowed: at most 1000)`, where);
  let c = compiled.get(expr);
  if (!c) {
    let code: EvalFunction;
    const symbols = new Set<string>();
    try {
      code = math.compile(expr) as EvalFunction;
      math.parse(expr).traverse((node) => {
        const n = node as unknown as { type: string; name: string };
        if (n.type === 'SymbolNode') symbols.add(n.name);
      });
    } catch (e) {
      throw new UserError(`cannot parse expression "${expr}" (${(e as Error).message.replace(/\s+/g, ' ')})`, where);
    }
    c = { code, symbols: [...symbols] };
    compiled.set(expr, c);
  }
  const code = c.code;
  for (const s of c.symbols) {
    if (!(s in scope) && typeof (math as unknown as Record<string, unknown>)[s] !== 'function') {
      const known = Object.keys(scope).sort().join(', ') || 'none';
      throw new UserError(`expression "${expr}" uses undefined parameter "${s}" (defined: ${known})`, where);
    }
  }
  let v: unknown;
  try {
    v = code.evaluate({ ...scope });
  } catch (e) {
    throw new UserError(`cannot evaluate "${expr}" (${(e as Error).message})`, where);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new UserError(`expression "${expr}" does not evaluate to a finite number`, where);
  }
  if (Math.abs(v) > Number.MAX_SAFE_INTEGER) {
    throw new UserError(`expression "${expr}" = ${v} is beyond 2^53 (allowed: |value| <= ${Number.MAX_SAFE_INTEGER})`, where);
  }
  return v;
}

/** Like evalExpr, but the result must be a whole number in [min, max] (channel counts, kernel sizes). */
export function evalInt(expr: Expr, scope: Scope, where: { file?: string; field: string }, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const v = evalExpr(expr, scope, where);
  const r = Math.round(v);
  if (Math.abs(v - r) > 1e-9) throw new UserError(`"${expr}" = ${v} is not a whole number`, where);
  if (r < min || r > max) {
    const shown = typeof expr === 'number' ? `${r}` : `"${expr}" = ${r}`;
    throw new UserError(`${shown} is out of range (allowed: ${min} to ${max})`, where);
  }
  return r;
}
