import { compileFunction } from 'node:vm';
import { parse, type Options } from 'acorn';
import { addHook } from 'pirates';

/**
 * The Bot Framework SDK as native async code.
 *
 * botbuilder 4.x is compiled by TypeScript for ES2015, so each of its async methods reads
 * `return __awaiter(this, void 0, void 0, function* () { … yield x … })`: a new generator function is made and run at
 * every call. V8 keeps what such a function holds alive through young-generation collections (measured in isolation:
 * a generator function made per call promotes 2.5 MB of every 8 MB allocated; the same code as a plain function or a
 * constructor promotes nothing; likely because V8 registers each new generator function's prototype with the shared
 * generator prototype, in the old generation — sharing one prototype halves it). A turn's objects are then promoted,
 * the old generation fills with them and full collections run twice a second under load: a turn cost the assistant's
 * main thread ≈ 40 % more (docs/benchmarks.md, sixth pass).
 *
 * The same method written as a native async arrow function — `return (async () => { … await (x) … })()` — runs the
 * same code without that cost: `this` is the method's, and `yield` in that body only ever stood for `await`. The
 * rewrite is made as the SDK's files load (`installNativeAsync`), from their source: nothing in node_modules changes.
 * A call whose body reads `arguments`, `new.target` or uses `yield*` (which an arrow function would see differently)
 * is left compiled, and so is a whole file that would not parse or whose rewrite V8 would not compile.
 */

/** The SDK's packages whose code runs in a turn (the browser bundles of Web Chat and Direct Line are not loaded). */
export const botFrameworkFile =
  /[\\/]node_modules[\\/](botbuilder(-[a-z-]+)?|botframework-(connector|streaming|schema))[\\/].*\.js$/;

interface AstNode {
  type: string;
  start: number;
  end: number;
  [field: string]: unknown;
}

export interface NativeAsyncResult {
  source: string;
  /** Async functions made native. */
  rewritten: number;
  /** Compiled async functions left as they were (`arguments`, `new.target`, `yield*`). */
  kept: number;
}

const parseOptions: Options = {
  ecmaVersion: 'latest',
  sourceType: 'script',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
};

const isNode = (value: unknown): value is AstNode =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

function children(node: AstNode): AstNode[] {
  const found: AstNode[] = [];
  for (const [field, value] of Object.entries(node)) {
    if (field === 'type' || field === 'start' || field === 'end') continue;
    if (Array.isArray(value)) found.push(...value.filter(isNode));
    else if (isNode(value)) found.push(value);
  }
  return found;
}

const isVoid = (node: AstNode | undefined) => node?.type === 'UnaryExpression' && node.operator === 'void';
const isFunction = (node: AstNode) =>
  node.type === 'FunctionExpression' || node.type === 'FunctionDeclaration';

/** The generator of `__awaiter(this, void 0, void 0, function* () { … })`, as TypeScript emits it; else undefined. */
function compiledAsyncBody(node: AstNode): AstNode | undefined {
  if (node.type !== 'CallExpression') return undefined;
  const callee = node.callee as AstNode;
  const [self, args, promise, generator] = node.arguments as AstNode[];
  const isCompiled =
    callee.type === 'Identifier' &&
    callee.name === '__awaiter' &&
    (node.arguments as AstNode[]).length === 4 &&
    self?.type === 'ThisExpression' &&
    isVoid(args) &&
    isVoid(promise) &&
    generator?.type === 'FunctionExpression' &&
    generator.generator === true &&
    (generator.params as AstNode[]).length === 0;
  return isCompiled ? (generator.body as AstNode) : undefined;
}

/** What an arrow function would read differently from a generator: `arguments`, `new.target`, `yield*`. */
function bindsDifferently(node: AstNode): boolean {
  if (node.type === 'Identifier' && node.name === 'arguments') return true;
  if (node.type === 'MetaProperty' && (node.meta as AstNode).name === 'new') return true;
  if (node.type === 'YieldExpression' && node.delegate === true) return true;
  if (isFunction(node)) return false; // its own arguments, new.target and yields
  return children(node).some(bindsDifferently);
}

/** Rewrites the compiled async functions of one module's source (throws when the source does not parse). */
export function rewriteCompiledAsync(source: string): NativeAsyncResult {
  if (!source.includes('__awaiter(this')) return { source, rewritten: 0, kept: 0 };
  const edits: { start: number; end: number; text: string }[] = [];
  let rewritten = 0;
  let kept = 0;
  // `inBody`: a `yield` here belongs to a body being made native (nested functions have their own)
  const walk = (node: AstNode, inBody: boolean): void => {
    const body = compiledAsyncBody(node);
    if (body && !bindsDifferently(body)) {
      rewritten++;
      edits.push({ start: node.start, end: body.start, text: '(async () => ' });
      edits.push({ start: body.end, end: node.end, text: ')()' });
      return walk(body, true);
    }
    if (body) kept++;
    if (node.type === 'YieldExpression' && inBody) {
      const argument = node.argument as AstNode | null;
      if (argument) {
        edits.push({ start: node.start, end: argument.start, text: 'await (' });
        edits.push({ start: argument.end, end: node.end, text: ')' });
      } else {
        edits.push({ start: node.start, end: node.end, text: 'await undefined' });
      }
    }
    const childrenInBody = inBody && !isFunction(node);
    for (const child of children(node)) walk(child, childrenInBody);
  };
  walk(parse(source, parseOptions) as unknown as AstNode, false);
  if (rewritten === 0) return { source, rewritten, kept };
  edits.sort((a, b) => a.start - b.start);
  const pieces: string[] = [];
  let at = 0;
  for (const { start, end, text } of edits) {
    pieces.push(source.slice(at, start), text);
    at = end;
  }
  pieces.push(source.slice(at));
  const out = pieces.join('');
  // compiled as Node compiles a CommonJS module: a file that would not load is left as it was (the caller catches it)
  compileFunction(out, ['exports', 'require', 'module', '__filename', '__dirname']);
  return { source: out, rewritten, kept };
}

/** What `installNativeAsync` did so far. */
export const nativeAsyncStats = {
  files: 0,
  functions: 0,
  kept: 0,
  /** Files left compiled because the rewrite failed, with the reason (the SDK then works as shipped). */
  failed: [] as string[],
};

const installed = Symbol.for('assistant.nativeAsync');

/**
 * From now on, the SDK's CommonJS files are rewritten as they load (`pirates` hooks `require`, which also loads the
 * CommonJS modules that ES modules import). Call it before anything imports botbuilder; once per process (a second
 * call returns the first one's uninstaller).
 */
export function installNativeAsync(): () => void {
  const registry = globalThis as { [installed]?: () => void };
  if (registry[installed]) return registry[installed];
  const revert = addHook(
    (code, filename) => {
      try {
        const result = rewriteCompiledAsync(code);
        if (result.rewritten > 0) nativeAsyncStats.files++;
        nativeAsyncStats.functions += result.rewritten;
        nativeAsyncStats.kept += result.kept;
        return result.source;
      } catch (err) {
        nativeAsyncStats.failed.push(`${filename}: ${(err as Error).message}`);
        return code;
      }
    },
    { exts: ['.js'], ignoreNodeModules: false, matcher: (filename) => botFrameworkFile.test(filename) },
  );
  return (registry[installed] = () => {
    revert();
    delete registry[installed];
  });
}
