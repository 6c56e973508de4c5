// Where the package's own files are (db/migrations, public/): found from the folder holding
// package.json, so the same path works from the TypeScript sources and from the compiled dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const ROOT = packageRoot(import.meta.dirname);
