// Where an imported image folder lives (recorded in the desktop app for `hgrad train`).
import { describe, expect, it } from 'vitest';
import { folderPath } from './image-import.ts';

describe('folderPath', () => {
  it('is a file’s path less its path below the folder, on any platform', () => {
    expect(folderPath('/data/stripes/vertical/0.png', 'vertical/0.png')).toBe('/data/stripes');
    expect(folderPath('C:\\data\\stripes\\vertical\\0.png', 'vertical/0.png')).toBe('C:/data/stripes');
    expect(folderPath(undefined, 'vertical/0.png')).toBeUndefined();
    expect(folderPath('/elsewhere/0.png', 'vertical/0.png')).toBeUndefined();
  });
});
