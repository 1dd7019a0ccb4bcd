import { createRequire } from 'node:module';
import type { EvalFunction, MathJsInstance, MathNode } from 'mathjs';
import { UserError } from '../errors.js';

export type Scope = Readonly<Record<string, number>>;
export type Expr = number | string;
type Where = { file?: string; field: string };

/**
 * mathjs, loaded on the first expression that is more than a name or a number. Its package entry
 * (hundreds of ES modules) costs about 1 s of CPU to import, its single-file build (the package's exported
 * lib/browser/math.js, same version and parser) about 0.2 s; commands that evaluate nothing
 * (`lic-dse models`, `--help`) never load it.
 */
let mathjs: MathJsInstance | undefined;
function math(): MathJsInstance {
  mathjs ??= createRequire(import.meta.url)('mathjs/lib/browser/math.js') as MathJsInstance;
  return mathjs;
}

/** What a channel expression may use: arithmetic on numbers and these functions; nothing else. */
const FUNCTIONS = new Set(['min', 'max', 'floor', 'ceil', 'round', 'sqrt', 'log2', 'abs']);
const OPERATORS = new Set(['add', 'subtract', 'multiply', 'divide', 'pow', 'mod', 'unaryMinus', 'unaryPlus']);

interface Compiled {
  code: EvalFunction;
  /** The parameters it reads (every symbol that is not a function name). */
  symbols: string[];
}
const compiled = new Map<string, Compiled>();

function compile(expr: string, where: Where): Compiled {
  let c = compiled.get(expr);
  if (c) return c;
  let node: MathNode;
  try {
    node = math().parse(expr);
  } catch (e) {
    throw new UserError(`cannot parse expression "${expr}" (${(e as Error).message})`, where);
  }
  const symbols = new Set<string>();
  node.traverse((n, path, parent) => {
    const x = n as unknown as { type: string; name?: string; fn?: string | { name?: string }; op?: string };
    switch (x.type) {
      case 'ConstantNode':
      case 'ParenthesisNode':
        return;
      case 'SymbolNode':
        // A function's name is visited as a symbol under its FunctionNode.
        if (parent && (parent as unknown as { type: string }).type === 'FunctionNode' && path === 'fn') return;
        symbols.add(x.name!);
        return;
      case 'FunctionNode': {
        const name = typeof x.fn === 'string' ? x.fn : x.fn?.name;
        if (name && FUNCTIONS.has(name)) return;
        throw new UserError(`expression "${expr}" calls "${name ?? '?'}" (allowed functions: ${[...FUNCTIONS].join(', ')})`, where);
      }
      case 'OperatorNode':
        if (OPERATORS.has(x.fn as string)) return;
        throw new UserError(`expression "${expr}" uses operator "${x.op}" (allowed: + - * / % ^)`, where);
      default:
        throw new UserError(`expression "${expr}" is not arithmetic (${x.type} is not allowed; allowed: numbers, parameters, + - * / % ^, ${[...FUNCTIONS].join(', ')})`, where);
    }
  });
  c = { code: node.compile(), symbols: [...symbols] };
  compiled.set(expr, c);
  return c;
}

const NAME = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/;
const NUMBER = /^\s*([0-9]+(\.[0-9]+)?)\s*$/;

function undefinedParameter(expr: string, s: string, scope: Scope, where: Where): UserError {
  const known = Object.keys(scope).sort().join(', ') || 'none';
  return new UserError(`expression "${expr}" uses undefined parameter "${s}" (defined: ${known})`, where);
}

/** Evaluate a channel/size expression such as "2*M" or "M/num_slices*min(i,5)" over a scope. */
export function evalExpr(expr: Expr, scope: Scope, where: Where): number {
  if (typeof expr === 'number') {
    if (!Number.isFinite(expr) || Math.abs(expr) > Number.MAX_SAFE_INTEGER) {
      throw new UserError(`${expr} is beyond 2^53 (allowed: |value| <= ${Number.MAX_SAFE_INTEGER})`, where);
    }
    return expr;
  }
  if (expr.length > 1000) throw new UserError(`expression of ${expr.length} characters (allowed: at most 1000)`, where);
  // A bare parameter or number, most of a model file, needs no parser.
  const name = NAME.exec(expr);
  if (name && !FUNCTIONS.has(name[1])) {
    if (!Object.prototype.hasOwnProperty.call(scope, name[1])) throw undefinedParameter(expr, name[1], scope, where);
    return finite(expr, scope[name[1]], where);
  }
  const num = NUMBER.exec(expr);
  if (num) return Number(num[1]);
  const { code, symbols } = compile(expr, where);
  for (const s of symbols) if (!Object.prototype.hasOwnProperty.call(scope, s)) throw undefinedParameter(expr, s, scope, where);
  let v: unknown;
  try {
    v = code.evaluate({ ...scope });
  } catch (e) {
    throw new UserError(`cannot evaluate "${expr}" (${(e as Error).message})`, where);
  }
  return finite(expr, v, where);
}

function finite(expr: string, v: unknown, where: Where): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new UserError(`expression "${expr}" does not evaluate to a finite number`, where);
  }
  if (Math.abs(v) > Number.MAX_SAFE_INTEGER) {
    throw new UserError(`expression "${expr}" = ${v} is beyond 2^53 (allowed: |value| <= ${Number.MAX_SAFE_INTEGER})`, where);
  }
  return v;
}

/** Like evalExpr, but the result must be a whole number in [min, max] (channel counts, kernel sizes). */
export function evalInt(expr: Expr, scope: Scope, where: Where, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const v = evalExpr(expr, scope, where);
  const r = Math.round(v);
  if (Math.abs(v - r) > 1e-9) throw new UserError(`"${expr}" = ${v} is not a whole number`, where);
  if (r < min || r > max) {
    const shown = typeof expr === 'number' ? `${r}` : `"${expr}" = ${r}`;
    throw new UserError(`${shown} is out of range (allowed: ${min} to ${max})`, where);
  }
  return r;
}
