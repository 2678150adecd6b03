// Unit tests of the data set menu's pure half: node --test web-ui/src/test/js
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DATASET_NAME, MAX_UPLOAD_BYTES, datasetLabel, datasetMenu, datasetNameFor, nameProblem, sizeProblem,
} from '../../main/resources/trainscope/web/js/datasets.js';

const BUILTINS = ['iris', 'penguins', 'xor', 'circles', 'spiral', 'blobs'];

test('a file uploads under its base name, without the extension', () => {
  assert.equal(datasetNameFor('sides.csv', BUILTINS), 'sides');
  assert.equal(datasetNameFor('my.data.v2.CSV', BUILTINS), 'my.data.v2');
  assert.equal(datasetNameFor('C:\\fakepath\\wine_quality.csv', BUILTINS), 'wine_quality');
  assert.equal(datasetNameFor('/home/me/flowers-2024.csv', BUILTINS), 'flowers-2024');
});

test('characters the server refuses become one dash each run, and the name starts with a letter or digit', () => {
  assert.equal(datasetNameFor('my data (final) copy.csv', BUILTINS), 'my-data-final-copy');
  assert.equal(datasetNameFor('  __hidden file.csv', BUILTINS), 'hidden-file');
  assert.equal(datasetNameFor('Café crème.csv', BUILTINS), 'Cafe-creme');
  assert.equal(datasetNameFor('日本語.csv', BUILTINS), 'dataset');
  assert.equal(datasetNameFor('.csv', BUILTINS), 'dataset');
  assert.equal(datasetNameFor('', BUILTINS), 'dataset');
});

test('a sanitised name is at most 64 characters and always one the server accepts', () => {
  const long = datasetNameFor('a'.repeat(100) + '.csv', BUILTINS);
  assert.equal(long, 'a'.repeat(64));
  for (const f of ['x.csv', '-.csv', 'a b.c d.csv', '#1 best!.csv', 'a'.repeat(70) + ' b.csv', '...', 'é'.repeat(80), 'iris.csv', 'z'.repeat(64) + '-x']) {
    const name = datasetNameFor(f, BUILTINS);
    assert.match(name, DATASET_NAME, f);
    assert.equal(nameProblem(name, BUILTINS), null, f);
  }
});

test('a file named like a built-in data set gets another name, since an upload cannot replace one', () => {
  assert.equal(datasetNameFor('iris.csv', BUILTINS), 'iris-upload');
  assert.equal(datasetNameFor('xor.csv', BUILTINS), 'xor-upload');
  // Built-in names are case-sensitive on the server.
  assert.equal(datasetNameFor('Iris.csv', BUILTINS), 'Iris');
});

test('nameProblem says what is wrong with a typed name', () => {
  assert.match(nameProblem('', BUILTINS), /name/);
  assert.match(nameProblem('has space', BUILTINS), /letters, digits/);
  assert.match(nameProblem('-dash', BUILTINS), /starting with a letter or digit/);
  assert.match(nameProblem('a'.repeat(65), BUILTINS), /at most 64/);
  assert.match(nameProblem('circles', BUILTINS), /"circles" is a built-in/);
  assert.equal(nameProblem('a'.repeat(64), BUILTINS), null);
});

test('files over 1 MiB are refused before sending, with the size and the limit', () => {
  assert.equal(MAX_UPLOAD_BYTES, 1024 * 1024);
  assert.equal(sizeProblem('big.csv', MAX_UPLOAD_BYTES), null);
  assert.equal(sizeProblem('big.csv', MAX_UPLOAD_BYTES + 1), 'big.csv is 1.00 MiB: at most 1 MiB (1,048,576 bytes) can be uploaded.');
  assert.equal(sizeProblem('huge.csv', 3.5 * MAX_UPLOAD_BYTES), 'huge.csv is 3.50 MiB: at most 1 MiB (1,048,576 bytes) can be uploaded.');
});

const LIST = [
  { name: 'iris', features: 4, classes: 3, rows: 150, builtin: true },
  { name: 'xor', features: 2, classes: 2, rows: 200, builtin: true },
  { name: 'sides', features: 2, classes: 2, rows: 40, builtin: false },
  { name: 'wine', features: 11, classes: 6, rows: 1599, builtin: false },
];

test('the menu lists the built-in sets, then the uploaded ones, in the server\'s order', () => {
  const m = datasetMenu(LIST);
  assert.deepEqual(m.builtin.map((d) => d.name), ['iris', 'xor']);
  assert.deepEqual(m.uploaded.map((d) => d.name), ['sides', 'wine']);
  assert.equal(m.value, 'iris');
});

test('the menu selects the wanted set, else keeps the selection, else falls back to the first built-in', () => {
  assert.equal(datasetMenu(LIST, 'sides', 'xor').value, 'sides');
  assert.equal(datasetMenu(LIST, undefined, 'wine').value, 'wine');
  // The selected set was deleted.
  assert.equal(datasetMenu(LIST.filter((d) => d.name !== 'wine'), undefined, 'wine').value, 'iris');
  assert.equal(datasetMenu(LIST, 'gone', 'xor').value, 'xor');
  assert.equal(datasetMenu([], 'x', 'y').value, '');
  assert.equal(datasetMenu(null).value, '');
});

test('labels give the shape of each set, and the row count of uploaded ones', () => {
  assert.equal(datasetLabel(LIST[0]), 'iris (4 features, 3 classes)');
  assert.equal(datasetLabel(LIST[2]), 'sides (2 features, 2 classes, 40 rows)');
  assert.equal(datasetLabel({ name: 'one', features: 1, classes: 2, rows: 3, builtin: false }), 'one (1 feature, 2 classes, 3 rows)');
});
