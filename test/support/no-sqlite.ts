// Stands in for better-sqlite3 in the `unit` test project: the pure core must not need a database.
throw new Error(
  'a unit test imported better-sqlite3: the pure core must not need a database (move the test to the integration project)',
);
