/** Disk sizes as people read them: decimal gigabytes (as drives are sold and df -H prints), one decimal. */
export function gigabytes(bytes: number): number {
  return Math.round(bytes / 1e8) / 10;
}

/** The same figure written for a sentence: Vietnamese writes the decimal with a comma (12,5 GB). */
export function gigabytesText(bytes: number, language: 'vi' | 'en'): string {
  const value = gigabytes(bytes).toFixed(1);
  return language === 'vi' ? value.replace('.', ',') : value;
}

/** The figure for both languages of a catalogue sentence (kiosk/messages/label.ts fillLabel). */
export function gigabytesLabel(bytes: number): { vi: string; en: string } {
  return { vi: gigabytesText(bytes, 'vi'), en: gigabytesText(bytes, 'en') };
}
