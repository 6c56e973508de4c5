// The folder table of docs/architecture.md read as data: which floor each file is on, and whether
// one file may import another or a package. The architecture test and ESLint both ask this module,
// so the document, the test and the linter cannot disagree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The line just above the table in docs/architecture.md. */
export const TABLE_MARK = '<!-- floors: read by test/architecture.unit.test.ts and eslint.config.js -->';
const ANY_PACKAGE = 'any package';

/** The floors, lowest first, from the table under TABLE_MARK. */
export function readFloors(root) {
  const text = readFileSync(join(root, 'docs/architecture.md'), 'utf8');
  const at = text.indexOf(TABLE_MARK);
  if (at === -1) throw new Error(`docs/architecture.md has no folder table (${TABLE_MARK})`);
  const lines = text
    .slice(at + TABLE_MARK.length)
    .trim()
    .split('\n');
  const end = lines.findIndex((l) => !l.startsWith('|'));
  const rows = lines.slice(2, end === -1 ? undefined : end); // after the header and |---|
  return rows.map((line, i) => {
    const [name, paths, , imports] = line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
    const ticked = (cell) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
    return {
      level: i + 1,
      name,
      paths: ticked(paths),
      // The core's floors name the packages they may add; the shell's may use any.
      packages: imports.includes(ANY_PACKAGE) ? null : ticked(imports),
    };
  });
}

/** The floor a file is on (its path from the repository's root, with /), or undefined. */
export function floorOf(floors, file) {
  return floors.find((f) => f.paths.some((p) => (p.endsWith('/') ? file.startsWith(p) : file === p)));
}

/** Why `from` may not import `to` (both paths from the root), or null when it may. */
export function importProblem(floors, from, to) {
  const a = floorOf(floors, from);
  const b = floorOf(floors, to);
  if (!a) return `${from} is on no floor of the folder table in docs/architecture.md`;
  if (!b) return `${from} imports ${to}, which is on no floor of the folder table in docs/architecture.md`;
  if (b.level <= a.level) return null;
  return `${from} (${a.name}) may not import ${to} (${b.name}): a floor imports only its own and the floors below`;
}

/** True for the core: the floors that name the packages they may use (no I/O, no wall clock). */
export function isCore(floors, file) {
  return floorOf(floors, file)?.packages != null;
}

/** Why `from` may not import package `name` (node:fs, zod/mini...), or null when it may. */
export function packageProblem(floors, from, name) {
  const floor = floorOf(floors, from);
  if (!floor) return `${from} is on no floor of the folder table in docs/architecture.md`;
  if (floor.packages === null) return null;
  const pkg = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0];
  const allowed = floors.filter((f) => f.level <= floor.level).flatMap((f) => f.packages ?? []);
  if (allowed.includes(pkg)) return null;
  return `${from} (${floor.name}) may not import ${name}: the core uses only ${allowed.join(', ')}`;
}
