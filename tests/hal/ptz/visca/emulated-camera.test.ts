import { describe, expect, it } from 'vitest';
import { ViscaCameraModel } from '../../../../hal/ptz/visca/emulated-camera.js';
import { h, hex } from '../helpers/wait.js';

/** The emulated camera's answers, byte for byte, as a Sony camera at address 1 gives them. */
describe('VISCA camera model', () => {
  const answer = (model: ViscaCameraModel, packet: string) => model.handle(h(packet)).map(hex);

  it.each([
    ['AddressSet: takes address 1, passes 2 on', '88 30 01 FF', ['88 30 02 FF']],
    ['IF_Clear broadcast is echoed', '88 01 00 01 FF', ['88 01 00 01 FF']],
    ['IF_Clear addressed: Completion on socket 0', '81 01 00 01 FF', ['90 50 FF']],
    ['a command: ACK then Completion on socket 1', '81 01 06 04 FF', ['90 41 FF', '90 51 FF']],
    ['Pan-tiltPosInq at centre', '81 09 06 12 FF', ['90 50 00 00 00 00 00 00 00 00 FF']],
    ['CAM_ZoomPosInq at wide end', '81 09 04 47 FF', ['90 50 00 00 00 00 FF']],
    ['CAM_PowerInq on', '81 09 04 00 FF', ['90 50 02 FF']],
    ['unknown command: syntax error', '81 01 04 99 FF', ['90 60 02 FF']],
    ['speed out of range: syntax error', '81 01 06 01 19 01 02 03 FF', ['90 60 02 FF']],
    ['unknown inquiry: syntax error', '81 09 7E 7E FF', ['90 60 02 FF']],
    ['another camera’s address: no answer', '82 01 06 04 FF', []],
  ])('%s', (_name, packet, replies) => {
    expect(answer(new ViscaCameraModel(), packet)).toEqual(replies);
  });

  it('moves, stores and recalls presets, and reports position in nibbles', () => {
    const model = new ViscaCameraModel();
    answer(model, '81 01 06 02 18 14 0F 0D 00 00 00 01 00 00 FF');
    expect(model.state).toMatchObject({ pan: -0x300, tilt: 0x100 });
    expect(answer(model, '81 09 06 12 FF')).toEqual(['90 50 0F 0D 00 00 00 01 00 00 FF']);
    answer(model, '81 01 04 3F 01 05 FF');
    answer(model, '81 01 06 04 FF');
    expect(model.state).toMatchObject({ pan: 0, tilt: 0 });
    answer(model, '81 01 04 3F 02 05 FF');
    expect(model.state).toMatchObject({ pan: -0x300, tilt: 0x100 });
  });

  it('refuses commands in standby with "not executable" after ACK', () => {
    const model = new ViscaCameraModel();
    expect(answer(model, '81 01 04 00 03 FF')).toEqual(['90 41 FF', '90 51 FF']);
    expect(answer(model, '81 01 06 04 FF')).toEqual(['90 41 FF', '90 61 41 FF']);
    expect(answer(model, '81 09 04 00 FF')).toEqual(['90 50 03 FF']);
  });

  it('applies one-shot faults to the next command but never to IF_Clear', () => {
    const model = new ViscaCameraModel();
    model.faults.push({ kind: 'error', code: 0x03 }, { kind: 'ack-only' }, { kind: 'silent' });
    expect(answer(model, '81 01 00 01 FF')).toEqual(['90 50 FF']);
    expect(answer(model, '81 01 06 04 FF')).toEqual(['90 60 03 FF']);
    expect(answer(model, '81 01 06 04 FF')).toEqual(['90 41 FF']);
    expect(answer(model, '81 01 06 04 FF')).toEqual([]);
    expect(answer(model, '81 01 06 04 FF')).toEqual(['90 41 FF', '90 51 FF']);
  });
});
