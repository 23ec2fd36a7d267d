import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { MemoryJournalStore } from './memory-journal-store.js';
import { journalStoreSuite } from './journal-store.test-helper.js';
import { JournalOpenError } from './journal-open-error.js';
import { SqliteJournalStore } from './sqlite-journal-store.js';

const dir = mkdtempSync(join(tmpdir(), 'captchaai-journal-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
let files = 0;

describe('JournalStore', () => {
  journalStoreSuite('memory', { create: () => new MemoryJournalStore() });

  const paths = new WeakMap<object, string>();
  journalStoreSuite('sqlite', {
    create() {
      const path = join(dir, `j${++files}.sqlite`);
      const store = new SqliteJournalStore(path);
      paths.set(store, path);
      return store;
    },
    reopen(store) {
      const path = paths.get(store) ?? '';
      store.close();
      return new SqliteJournalStore(path);
    },
  });
});

describe('SqliteJournalStore', () => {
  test('uses WAL mode', () => {
    const path = join(dir, 'pragmas.sqlite');
    const store = new SqliteJournalStore(path, { synchronous: 'full' });
    store.close();
    // The WAL mode is persistent: a plain reader sees it in the file.
    const db = new Database(path, { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  test('a second run on the same journal is refused while the first holds it', () => {
    const path = join(dir, 'locked.sqlite');
    const first = new SqliteJournalStore(path);
    try {
      // Another process: SQLite locks are per process.
      const child = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          '-e',
          `import { SqliteJournalStore } from ${JSON.stringify(new URL('./sqlite-journal-store.ts', import.meta.url).pathname)}; try { new SqliteJournalStore(${JSON.stringify(path)}); console.log('opened'); } catch (e) { console.log(e.name + ': ' + e.message); }`,
        ],
        { encoding: 'utf8' },
      );
      assert.match(child.stdout, /JournalOpenError: .* is in use by another batch run/);
    } finally {
      first.close();
    }
    new SqliteJournalStore(path).close();
  });

  test('a file that is not a journal is refused with a clear message', () => {
    const path = join(dir, 'not-a-journal.sqlite');
    writeFileSync(
      path,
      'this is a text file, not SQLite, and long enough to have a header..........',
    );
    assert.throws(
      () => new SqliteJournalStore(path),
      (error: unknown) => {
        assert.ok(error instanceof JournalOpenError);
        assert.match(error.message, /not a journal/);
        return true;
      },
    );
  });

  test('a journal damaged inside or cut short is called corrupt when opened, not misread later', () => {
    const make = (name: string): { path: string; size: number } => {
      const path = join(dir, name);
      const store = new SqliteJournalStore(path);
      for (let line = 1; line <= 400; line++) {
        const key = { line, hash: `hash-${line}`.padEnd(40, 'x') };
        store.submitting(key, 'userrecaptcha', line);
        store.accepted(line, String(7_000_000 + line), line, line);
        store.done(key, `{"id":${line},"solution":"${'t'.repeat(60)}"}`, line);
      }
      store.close();
      return { path, size: statSync(path).size };
    };
    const damaged = make('damaged.sqlite');
    // Garbage over a page in the middle of the file (a b-tree page of the lines or an index).
    const bytes = readFileSync(damaged.path);
    bytes.fill(
      0xff,
      Math.floor(damaged.size / 2 / 1024) * 1024 + 100,
      Math.floor(damaged.size / 2 / 1024) * 1024 + 400,
    );
    writeFileSync(damaged.path, bytes);
    const cut = make('cut.sqlite');
    truncateSync(cut.path, Math.floor(cut.size / 2) + 300);
    for (const path of [damaged.path, cut.path]) {
      assert.throws(
        () => new SqliteJournalStore(path),
        (error: unknown) => {
          assert.ok(error instanceof JournalOpenError, String(error));
          assert.match(error.message, /is corrupt .*: it cannot tell which lines are done/);
          return true;
        },
      );
    }
  });
});
