import { calendarDate, clockTime, dateTime, dayKey, weekday } from '../../shared/format.js';
import { html, useText } from '../../shared/html.js';
import type { PublicEntry } from '../types.js';

/** Rows the board shows at most; the rest are counted (the board never scrolls). */
const MAX_ROWS = 7;

/**
 * The public schedule (lịch tiếp công dân công khai), shown while the room is idle: today and the
 * coming days, with changes marked. Schedule text only: the API holds no case or citizen here.
 */
export function ScheduleBoard({ sessions, now }: { sessions: PublicEntry[] | undefined; now: number }) {
  const { t, tf, lang } = useText();
  const upcoming = (sessions ?? []).filter((s) => Date.parse(s.endsAt) > now || s.change === 'cancelled');
  const shown = upcoming.slice(0, MAX_ROWS);
  const today = dayKey(now);
  const tomorrow = dayKey(now + 86_400_000);
  const days = [...new Set(shown.map((s) => dayKey(s.startsAt)))];
  const dayName = (entry: PublicEntry) => {
    const key = dayKey(entry.startsAt);
    const relative = key === today ? t('today') : key === tomorrow ? t('tomorrow') : weekday(entry.startsAt, lang);
    return `${relative}, ${calendarDate(entry.startsAt)}`;
  };
  return html`<section class="panel board" aria-labelledby="board-title">
    <h2 id="board-title">${t('scheduleBoard')}</h2>
    ${
      shown.length === 0
        ? html`<p class="empty">${t('noScheduled')}</p>`
        : html`<div id="schedule">${days.map((day) => {
            const entries = shown.filter((s) => dayKey(s.startsAt) === day);
            return html`<div class="day" data-day=${day}>
            <h3>${dayName(entries[0]!)}</h3>
            <ul>${entries.map(
              (entry) => html`<li class=${`entry ${entry.change ?? ''}`} data-session=${entry.id}>
              <span class="when">${clockTime(entry.startsAt)}–${clockTime(entry.endsAt)}</span>
              <span class="what"><span class="entry-title">${entry.title}</span><span class="entry-site">${t('linkLabel')}: ${entry.chairSite.name}</span></span>
              ${entry.change ? html`<span class=${`change ${entry.change}`}>${t(`change_${entry.change}`)}${entry.changedAt ? html`<small>${tf('changedAt', { time: dateTime(entry.changedAt) })}</small>` : null}</span>` : null}
            </li>`,
            )}</ul>
          </div>`;
          })}</div>`
    }
    ${upcoming.length > shown.length ? html`<p class="more">${tf('moreSessions', { count: upcoming.length - shown.length })}</p>` : null}
  </section>`;
}
