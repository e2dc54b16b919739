import type { SearchView } from '../../backend/types.js';
import { expect, mount, screen, test } from '../../../test/browser.js';
import { example } from '../../../test/browser.js';

const search = (name: string) =>
  example<SearchView>(new URL('../results/results.browser.test.ts', import.meta.url).href, name);

test('whenever the sandbox answers, the banner says the patients are synthetic', async ({ page }) => {
  const { source } = search('search-grouped');
  await mount(page, 'eps-tracker-training-banner', { source });
  await expect(page.getByRole('region', { name: 'Training' })).toContainText('Synthetic patients — not real data');
  await screen(page, 'training-banner');
});

test('no banner when Spine answers', async ({ page }) => {
  await mount(page, 'eps-tracker-training-banner', {
    source: { backend: 'gateway', name: 'Spine', label: 'https://gateway.example.org', training: false, notice: '' },
  });
  await expect(page.getByRole('region')).toHaveCount(0);
});
