import type { Label } from '../../messages/label.js';
import type { CheckOutcome, CheckStatus, Measurement } from '../types.js';

export function outcome(status: CheckStatus, measured: Measurement, vi: string, en: string): CheckOutcome {
  const explanation: Label = { vi, en };
  return { status, measured, explanation };
}

export const none: Measurement = { value: null };

/** A device that is configured but not connected: fail with what its driver says. */
export function deviceDown(what: Label, snapshot: { status: string; detail?: string }): CheckOutcome {
  const detail = snapshot.detail ? ` (${snapshot.detail})` : '';
  return outcome(
    'fail',
    { value: snapshot.status },
    // The officer reads Vietnamese: what to do, not the driver's words (those stay in the English, for the technician).
    `${what.vi} không hoạt động. Kiểm tra dây cáp và nguồn điện; nếu vẫn lỗi, hãy gọi kỹ thuật viên.`,
    `${what.en} is not working: ${snapshot.status}${detail}. Check its cable, power and configuration.`,
  );
}
