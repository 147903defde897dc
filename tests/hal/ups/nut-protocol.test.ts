import { describe, expect, it } from 'vitest';
import {
  ListVarCollector,
  NutError,
  NutProtocolError,
  expectOk,
  nutRequest,
  parseGetVarReply,
  parseReplyLine,
  quoteWord,
  splitWords,
} from '../../../hal/ups/nut/protocol.js';

describe('NUT requests, byte-exact', () => {
  it.each([
    [nutRequest.listVar('ups'), 'LIST VAR ups\n'],
    [nutRequest.getVar('ups', 'ups.status'), 'GET VAR ups ups.status\n'],
    [nutRequest.username('monuser'), 'USERNAME monuser\n'],
    [nutRequest.password('secret'), 'PASSWORD secret\n'],
    [nutRequest.password('two words'), 'PASSWORD "two words"\n'],
    [nutRequest.password('say "hi"'), 'PASSWORD "say \\"hi\\""\n'],
    [nutRequest.password('back\\slash'), 'PASSWORD "back\\\\slash"\n'],
    [nutRequest.password(''), 'PASSWORD ""\n'],
    [nutRequest.login('ups'), 'LOGIN ups\n'],
    [nutRequest.starttls(), 'STARTTLS\n'],
    [nutRequest.logout(), 'LOGOUT\n'],
  ])('%j', (actual, expected) => {
    expect(actual).toBe(expected);
  });

  it.each(['a\nLOGOUT', 'a\r', 'a\0b'])('refuses a word that could inject a second command: %j', (word) => {
    expect(() => quoteWord(word)).toThrow(NutProtocolError);
  });
});

describe('NUT reply words', () => {
  it.each([
    ['VAR su700 ups.mfr "American Power Conversion"', ['VAR', 'su700', 'ups.mfr', 'American Power Conversion']],
    ['VAR ups ups.status "OB DISCHRG LB"', ['VAR', 'ups', 'ups.status', 'OB DISCHRG LB']],
    ['VAR ups x "a \\"quoted\\" word"', ['VAR', 'ups', 'x', 'a "quoted" word']],
    ['VAR ups x "C:\\\\path"', ['VAR', 'ups', 'x', 'C:\\path']],
    ['VAR ups x ""', ['VAR', 'ups', 'x', '']],
    ['OK', ['OK']],
    ['  OK   Goodbye ', ['OK', 'Goodbye']],
  ])('%s', (line, words) => {
    expect(splitWords(line)).toEqual(words);
  });

  it.each(['VAR ups x "open', 'VAR ups x trailing\\'])('rejects %j', (line) => {
    expect(() => splitWords(line)).toThrow(NutProtocolError);
  });
});

describe('NUT reply lines', () => {
  it('parses a VAR line', () => {
    expect(parseReplyLine('VAR ups battery.charge "87"')).toEqual({
      type: 'var',
      ups: 'ups',
      name: 'battery.charge',
      value: '87',
    });
  });

  it('parses OK replies with their text', () => {
    expect(parseReplyLine('OK Goodbye')).toEqual({ type: 'ok', text: 'Goodbye' });
    expect(parseReplyLine('OK STARTTLS\r')).toEqual({ type: 'ok', text: 'STARTTLS' });
  });

  it('parses list framing', () => {
    expect(parseReplyLine('BEGIN LIST VAR ups')).toEqual({ type: 'begin-list', list: 'VAR', args: ['ups'] });
    expect(parseReplyLine('END LIST VAR ups')).toEqual({ type: 'end-list', list: 'VAR', args: ['ups'] });
  });

  it.each([
    ['ERR ACCESS-DENIED', 'ACCESS-DENIED', 'authentication'],
    ['ERR INVALID-PASSWORD', 'INVALID-PASSWORD', 'authentication'],
    ['ERR USERNAME-REQUIRED', 'USERNAME-REQUIRED', 'authentication'],
    ['ERR UNKNOWN-UPS', 'UNKNOWN-UPS', 'unknown-ups'],
    ['ERR DATA-STALE', 'DATA-STALE', 'communication'],
    ['ERR DRIVER-NOT-CONNECTED', 'DRIVER-NOT-CONNECTED', 'communication'],
    ['ERR FEATURE-NOT-CONFIGURED', 'FEATURE-NOT-CONFIGURED', 'unsupported'],
    ['ERR VAR-NOT-SUPPORTED', 'VAR-NOT-SUPPORTED', 'other'],
    ['ERR SOMETHING-NEW', 'SOMETHING-NEW', 'other'],
  ])('%s → typed error', (line, code, category) => {
    const reply = parseReplyLine(line);
    expect(reply.type).toBe('error');
    if (reply.type !== 'error') return;
    expect(reply.error).toBeInstanceOf(NutError);
    expect(reply.error.code).toBe(code);
    expect(reply.error.category).toBe(category);
  });

  it('keeps the extra words of an ERR line', () => {
    const reply = parseReplyLine('ERR UNKNOWN-COMMAND FOO BAR');
    expect(reply.type === 'error' && reply.error.extra).toBe('FOO BAR');
  });

  it.each(['VAR ups only-two', 'ERR', 'BEGIN VAR ups'])('rejects malformed %j', (line) => {
    expect(() => parseReplyLine(line)).toThrow(NutProtocolError);
  });
});

describe('LIST VAR collector', () => {
  it('collects variables between BEGIN and END', () => {
    const collector = new ListVarCollector('ups');
    const lines = [
      'BEGIN LIST VAR ups',
      'VAR ups ups.status "OB DISCHRG"',
      'VAR ups battery.charge "55"',
      'END LIST VAR ups',
    ];
    const results = lines.map((line) => collector.feed(line));
    expect(results.slice(0, 3)).toEqual([undefined, undefined, undefined]);
    expect(Object.fromEntries(results[3]!)).toEqual({ 'ups.status': 'OB DISCHRG', 'battery.charge': '55' });
  });

  it('throws the upsd error when the list is refused', () => {
    expect(() => new ListVarCollector('ups').feed('ERR DATA-STALE')).toThrow(
      expect.objectContaining({ code: 'DATA-STALE' }),
    );
  });

  it('rejects a reply for another UPS or without BEGIN', () => {
    expect(() => new ListVarCollector('ups').feed('VAR ups ups.status "OL"')).toThrow(NutProtocolError);
    const collector = new ListVarCollector('ups');
    collector.feed('BEGIN LIST VAR ups');
    expect(() => collector.feed('VAR other ups.status "OL"')).toThrow(NutProtocolError);
  });
});

describe('single-line replies', () => {
  it('GET VAR gives the value or throws the upsd error', () => {
    expect(parseGetVarReply('VAR ups ups.status "OL CHRG"', 'ups', 'ups.status')).toBe('OL CHRG');
    expect(() => parseGetVarReply('ERR VAR-NOT-SUPPORTED', 'ups', 'nope')).toThrow(
      expect.objectContaining({ code: 'VAR-NOT-SUPPORTED' }),
    );
    expect(() => parseGetVarReply('VAR ups other "x"', 'ups', 'ups.status')).toThrow(NutProtocolError);
  });

  it('OK replies', () => {
    expect(expectOk('OK')).toBe('');
    expect(expectOk('OK Goodbye')).toBe('Goodbye');
    expect(() => expectOk('ERR ACCESS-DENIED')).toThrow(
      expect.objectContaining({ code: 'ACCESS-DENIED', category: 'authentication' }),
    );
    expect(() => expectOk('VAR ups x "y"')).toThrow(NutProtocolError);
  });
});
