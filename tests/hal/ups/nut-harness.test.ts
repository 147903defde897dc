import { afterEach, describe, expect, it } from 'vitest';
import { NutHarness } from '../../../hal/ups/nut/nut-harness.js';

describe('NUT test harness (real upsd + dummy-ups)', () => {
  let nut: NutHarness | undefined;
  afterEach(async () => {
    await nut?.stop();
    nut = undefined;
  });

  it('serves the dummy file and follows two edits made within one second', async () => {
    nut = await NutHarness.start();
    expect(await nut.query(`GET VAR ${nut.upsName} ups.status`)).toBe(`VAR ${nut.upsName} ups.status "OL"`);
    await nut.setVariables({ 'ups.status': 'OB DISCHRG' });
    await nut.setVariables({ 'ups.status': 'OB DISCHRG LB', 'battery.charge': '9' });
    await nut.waitForValue('ups.status', 'OB DISCHRG LB');
    expect(await nut.query(`GET VAR ${nut.upsName} battery.charge`)).toBe(`VAR ${nut.upsName} battery.charge "9"`);
  });
});
