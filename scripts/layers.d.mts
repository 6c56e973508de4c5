// Types of layers.mjs (plain JavaScript so that eslint.config.js can import it too).
export interface Floor {
  level: number;
  name: string;
  /** Folders (ending in /) and files, from the repository's root. */
  paths: string[];
  /** The packages this floor may add to those below; null: any (the shell). */
  packages: string[] | null;
}
export const TABLE_MARK: string;
export function readFloors(root: string): Floor[];
export function floorOf(floors: Floor[], file: string): Floor | undefined;
export function importProblem(floors: Floor[], from: string, to: string): string | null;
export function isCore(floors: Floor[], file: string): boolean;
export function packageProblem(floors: Floor[], from: string, name: string): string | null;
