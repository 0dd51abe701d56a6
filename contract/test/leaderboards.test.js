// Leaderboards and tournaments through the official client. The boards are declared at
// start-up with leaderboard.declare_file (clients cannot create boards; Nakama games create
// them from server code).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useHearth } from '../lib/server.js';
import { newClient, expectError, uniqueId, uniqueUsername } from '../lib/nakama.js';

const boardsFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'hearth-boards-')), 'boards.yaml');
writeFileSync(boardsFile, `
leaderboards:
  - id: best-desc
    sort_order: desc
    operator: best
  - id: incr-asc
    sort_order: asc
    operator: incr
  - id: server-only
    authoritative: true
tournaments:
  - id: cup
    title: The Cup
    category: 7
    sort_order: desc
    operator: best
    duration: 3600
    max_num_score: 2
    join_required: true
    authoritative: false
`);

const hearth = useHearth({ extraArgs: ['--leaderboard.declare_file', boardsFile] });
const client = () => newClient(hearth.server);
const player = () => client().authenticateDevice(uniqueId('device'), true, uniqueUsername('lb'));

describe('leaderboards', () => {
  test('best keeps the better score and subscore; ranks follow the sort order', async () => {
    const a = await player();
    const b = await player();
    const first = await client().writeLeaderboardRecord(a, 'best-desc', { score: 10, subscore: 1, metadata: { k: 'v' } });
    assert.equal(first.score, 10);
    assert.equal(first.rank, 1);
    assert.deepEqual(first.metadata, { k: 'v' });
    const kept = await client().writeLeaderboardRecord(a, 'best-desc', { score: 5, subscore: 9 });
    assert.equal(kept.score, 10);
    assert.equal(kept.subscore, 9);
    assert.equal(kept.num_score, 2);
    const top = await client().writeLeaderboardRecord(b, 'best-desc', { score: 20 });
    assert.equal(top.rank, 1);
    assert.equal(top.username, b.username);

    const page = await client().listLeaderboardRecords(a, 'best-desc', [a.user_id], 1);
    assert.equal(page.records.length, 1);
    assert.equal(page.records[0].owner_id, b.user_id);
    assert.equal(page.records[0].rank, 1);
    assert.equal(page.owner_records[0].owner_id, a.user_id);
    assert.equal(page.owner_records[0].rank, 2);
    assert.ok(page.next_cursor);
    const next = await client().listLeaderboardRecords(a, 'best-desc', undefined, 1, page.next_cursor);
    assert.equal(next.records[0].owner_id, a.user_id);
    assert.equal(next.records[0].rank, 2);
    assert.ok(next.prev_cursor);
    const back = await client().listLeaderboardRecords(a, 'best-desc', undefined, 1, next.prev_cursor);
    assert.equal(back.records[0].owner_id, b.user_id);
  });

  test('increment on an ascending board, around the owner', async () => {
    const players = [await player(), await player(), await player()];
    for (const [i, p] of players.entries()) {
      await client().writeLeaderboardRecord(p, 'incr-asc', { score: 10 * (i + 1) });
    }
    const bumped = await client().writeLeaderboardRecord(players[0], 'incr-asc', { score: 25 });
    assert.equal(bumped.score, 35);
    assert.equal(bumped.rank, 3);
    const around = await client().listLeaderboardRecordsAroundOwner(players[1], 'incr-asc', players[1].user_id, 3);
    assert.deepEqual(around.records.map((r) => r.owner_id), [players[1].user_id, players[2].user_id, players[0].user_id]);
    assert.deepEqual(around.records.map((r) => r.rank), [1, 2, 3]);
  });

  test('delete own record; authoritative and unknown boards refuse', async () => {
    const a = await player();
    await client().writeLeaderboardRecord(a, 'best-desc', { score: 1 });
    const api = client().apiClient;
    await api.deleteLeaderboardRecord(a.token, 'best-desc');
    const list = await client().listLeaderboardRecords(a, 'best-desc', [a.user_id]);
    assert.deepEqual(list.owner_records ?? [], []);
    await expectError(client().writeLeaderboardRecord(a, 'server-only', { score: 1 }),
      { status: 403, code: 7, message: 'Leaderboard only allows authoritative score submissions.' });
    await expectError(client().writeLeaderboardRecord(a, 'missing', { score: 1 }),
      { status: 404, code: 5, message: 'Leaderboard not found.' });
    await expectError(client().listLeaderboardRecords(a, 'best-desc', undefined, 101),
      { status: 400, code: 3 });
  });
});

describe('tournaments', () => {
  test('list, join, write within attempts, list records and around owner', async () => {
    const a = await player();
    const list = await client().listTournaments(a, 7, 7);
    assert.equal(list.tournaments.length, 1);
    const cup = list.tournaments[0];
    assert.equal(cup.id, 'cup');
    assert.equal(cup.title, 'The Cup');
    assert.equal(cup.can_enter, true);
    assert.equal(cup.duration, 3600);
    await expectError(client().writeTournamentRecord(a, 'cup', { score: 1 }),
      { status: 400, code: 9, message: 'Must join tournament before attempting to write value.' });
    assert.equal(await client().joinTournament(a, 'cup'), true);
    assert.equal(await client().joinTournament(a, 'cup'), true);
    const rec = await client().writeTournamentRecord(a, 'cup', { score: 3 });
    assert.equal(rec.score, 3);
    assert.equal(rec.max_num_score, 2);
    await client().writeTournamentRecord(a, 'cup', { score: 4 });
    await expectError(client().writeTournamentRecord(a, 'cup', { score: 5 }),
      { status: 400, code: 9, message: 'Reached allowed max number of score attempts.' });
    const records = await client().listTournamentRecords(a, 'cup', [a.user_id], 10);
    assert.equal(records.records[0].owner_id, a.user_id);
    assert.equal(records.records[0].score, 4);
    assert.equal(records.owner_records[0].rank, 1);
    const around = await client().listTournamentRecordsAroundOwner(a, 'cup', a.user_id, 5);
    assert.equal(around.records[0].owner_id, a.user_id);
    await expectError(client().joinTournament(a, 'nope'), { status: 404, code: 5, message: 'Tournament not found.' });
  });
});
