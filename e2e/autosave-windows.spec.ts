// Two windows of the studio share one autosave: the newer work of one is never overwritten by the
// other, which says that it stopped autosaving.
import { expect, test } from '@playwright/test';
import { openStudio, setParam } from './studio.ts';

const autosaved = (page: import('@playwright/test').Page) =>
  page.evaluate(() => JSON.parse(localStorage.getItem('hgrad.autosave.v1') ?? 'null') as { text: string });

test('an older window does not overwrite the autosave of a newer one, and says so', async ({
  page,
  context,
}) => {
  await openStudio(page);
  const other = await context.newPage();
  await other.goto('/');
  await expect(other.getByTestId('engine-status')).toContainText('Engine ready', { timeout: 20_000 });
  // The second window edits: its work is autosaved, and the first window steps back.
  await setParam(other, 'fc1', 'outFeatures', '24');
  await expect.poll(async () => (await autosaved(other)).text).toContain('"outFeatures": 24');
  await expect(page.getByTestId('toast-info').last()).toContainText(
    'Another window is editing and autosaving; this window no longer autosaves',
  );
  // An edit in the first window does not replace the newer autosave.
  await setParam(page, 'fc1', 'outFeatures', '8');
  await page.waitForTimeout(600);
  const text = (await autosaved(page)).text;
  expect(text).toContain('"outFeatures": 24');
  expect(text).not.toContain('"outFeatures": 8');
});
