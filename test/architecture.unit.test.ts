// The layers as a test: every import of src/, machines/ and scripts/ read and checked against the
// folder table of docs/architecture.md (scripts/layers.mjs reads it; ESLint asks the same module).
// A file imports only from its own floor and those below, never round a circle; the core imports
// only the packages its floors name and never reads the wall clock.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { floorOf, importProblem, isCore, packageProblem, readFloors } from '../scripts/layers.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const floors = readFloors(ROOT);

const files = ['src', 'machines', 'scripts'].flatMap((dir) =>
  readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mts|mjs)$/.test(f) && !f.endsWith('.d.mts'))
    .map((f) => `${dir}/${f.split('\\').join('/')}`),
);
const source = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));

/** Every module a file imports: static, type-only, re-exports and dynamic import(). */
function importsOf(file: string): { relative: string[]; packages: string[] } {
  const found = ts.preProcessFile(source.get(file)!, true, true).importedFiles.map((i) => i.fileName);
  return {
    relative: found
      .filter((s) => s.startsWith('.'))
      .map((s) =>
        relative(ROOT, resolve(ROOT, dirname(file), s))
          .split('\\')
          .join('/'),
      ),
    packages: found.filter((s) => !s.startsWith('.')),
  };
}
const edges = new Map(files.map((f) => [f, importsOf(f)]));

/** The import circles: strongly connected components of more than one file (Tarjan), or a file importing itself. */
function circles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (f: string) => {
    index.set(f, index.size);
    low.set(f, index.get(f)!);
    stack.push(f);
    onStack.add(f);
    for (const g of graph.get(f) ?? []) {
      if (!graph.has(g)) continue;
      if (!index.has(g)) {
        visit(g);
        low.set(f, Math.min(low.get(f)!, low.get(g)!));
      } else if (onStack.has(g)) low.set(f, Math.min(low.get(f)!, index.get(g)!));
    }
    if (low.get(f) !== index.get(f)) return;
    const component: string[] = [];
    let g: string;
    do {
      g = stack.pop()!;
      onStack.delete(g);
      component.push(g);
    } while (g !== f);
    if (component.length > 1 || graph.get(f)!.includes(f)) found.push(component.sort());
  };
  for (const f of graph.keys()) if (!index.has(f)) visit(f);
  return found;
}

/** Where a core file asks the wall clock: Date.now(), Date(), or new Date with no arguments. */
function wallClockReads(file: string, text = source.get(file)!): string[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const isDate = (e: ts.Node) => ts.isIdentifier(e) && e.text === 'Date';
  const at = (n: ts.Node) => `${file}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
  const walk = (n: ts.Node): void => {
    if (ts.isNewExpression(n) && isDate(n.expression) && !n.arguments?.length) found.push(`${at(n)} new Date()`);
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      if (isDate(callee)) found.push(`${at(n)} Date()`);
      if (ts.isPropertyAccessExpression(callee) && isDate(callee.expression) && callee.name.text === 'now')
        found.push(`${at(n)} Date.now()`);
    }
    ts.forEachChild(n, walk);
  };
  walk(sf);
  return found;
}

describe('the floors of docs/architecture.md', () => {
  it('places every file of src/, machines/ and scripts/ on a floor', () => {
    expect(files.length).toBeGreaterThan(80);
    expect(files.filter((f) => !floorOf(floors, f))).toEqual([]);
  });

  it('has no import that climbs to a higher floor', () => {
    const problems = files.flatMap((f) =>
      edges
        .get(f)!
        .relative.map((to) => importProblem(floors, f, to))
        .filter((p) => p !== null),
    );
    expect(problems).toEqual([]);
  });

  it('keeps the core to the packages its floors name (no I/O, no database, no server)', () => {
    const problems = files.flatMap((f) =>
      edges
        .get(f)!
        .packages.map((name) => packageProblem(floors, f, name))
        .filter((p) => p !== null),
    );
    expect(problems).toEqual([]);
  });

  it('has no import circle', () => {
    expect(circles(new Map([...edges].map(([f, e]) => [f, e.relative])))).toEqual([]);
  });

  it('gives each caller the store modules it uses: nothing outside src/store reaches through store.x.y', () => {
    // A caller names the modules it uses (a Pick<Store, ...> parameter, destructured), so what a
    // feature depends on is in its signature, not found by reading its body.
    const reaching = files
      .filter((f) => !f.startsWith('src/store/') && !f.startsWith('scripts/'))
      .flatMap((f) => [...source.get(f)!.matchAll(/\bstore\??\.\w+\??\.\w+/g)].map((m) => `${f}: ${m[0]}`));
    expect(reaching).toEqual([]);
  });

  it('never reads the wall clock in the core (time is injected)', () => {
    const core = files.filter((f) => isCore(floors, f));
    expect(core.length).toBeGreaterThan(15);
    expect(core.flatMap((f) => wallClockReads(f))).toEqual([]);
  });
});

describe('the checks themselves', () => {
  // Each check is shown to fail on what it is there to catch, so a green run means something.
  it('refuses an import from a higher floor, and a package the core does not name', () => {
    expect(importProblem(floors, 'src/cwt/clocks.ts', 'src/domain/pathway.ts')).toMatch(/may not import/);
    expect(importProblem(floors, 'src/domain/pathway.ts', 'src/cwt/clocks.ts')).toBeNull();
    expect(importProblem(floors, 'src/vocabulary/events.ts', 'src/store/db.ts')).toMatch(/rules|store/);
    expect(importProblem(floors, 'src/nowhere/x.ts', 'src/cwt/clocks.ts')).toMatch(/on no floor/);
    expect(packageProblem(floors, 'src/cwt/clocks.ts', 'node:fs')).toMatch(/may not import node:fs/);
    expect(packageProblem(floors, 'src/domain/pathway.ts', 'xstate')).toBeNull();
    expect(packageProblem(floors, 'src/vocabulary/events.ts', 'xstate')).toMatch(/may not import/);
    expect(packageProblem(floors, 'src/store/db.ts', 'better-sqlite3')).toBeNull();
  });

  it('finds a circle and a wall-clock read', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts', 'd.ts']],
      ['e.ts', ['a.ts']],
    ]);
    expect(circles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
    const text = 'export const t = () => [Date.now(), new Date(), new Date, Date(), new Date(0), clock.now()];';
    expect(wallClockReads('a.ts', text).map((r) => r.slice(r.indexOf(' ') + 1))).toEqual([
      'Date.now()',
      'new Date()',
      'new Date()',
      'Date()',
    ]);
  });
});
