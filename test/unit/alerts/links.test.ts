// Where alert and digest links point: the configured console URL, else what the API listens on (the machine's name
// for a wildcard address, the bound port when 0 was asked); the console's hash routes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { consoleLinks, consoleUrlOf } from '../../../src/alerts/links.js';

test('the console URL: configured, else from api.listen', () => {
  assert.equal(consoleUrlOf('https://fw.example/tollguard', '127.0.0.1:8080'), 'https://fw.example/tollguard');
  assert.equal(consoleUrlOf(undefined, '127.0.0.1:8080'), 'http://127.0.0.1:8080');
  assert.equal(consoleUrlOf(undefined, '0.0.0.0:8443'), `http://${hostname()}:8443`);
  assert.equal(consoleUrlOf(undefined, '[::1]:8080'), 'http://[::1]:8080');
  assert.equal(consoleUrlOf(undefined, '127.0.0.1:0'), undefined, 'no port known yet');
  assert.equal(consoleUrlOf(undefined, '127.0.0.1:0', 41234), 'http://127.0.0.1:41234');
});

test('links to an incident, a call and a period of calls', () => {
  const l = consoleLinks('https://fw.example/');
  assert.equal(l.incident('a b'), 'https://fw.example/#/incidents?id=a+b');
  assert.equal(l.incidents(), 'https://fw.example/#/incidents');
  assert.equal(l.call('c1'), 'https://fw.example/#/calls?id=c1');
  assert.equal(
    l.calls('acme', Date.UTC(2026, 11, 1), Date.UTC(2026, 11, 2)),
    'https://fw.example/#/calls?tenant=acme&from=2026-12-01T00%3A00%3A00.000Z&to=2026-12-02T00%3A00%3A00.000Z',
  );
});
