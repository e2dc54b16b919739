import type { SearchView } from '../../backend/types.js';
import { expect, mount, screen, test } from '../../../test/browser.js';
import { example } from '../../../test/browser.js';

const search = (name: string) =>
  example<SearchView>(new URL('../results/results.browser.test.ts', import.meta.url).href, name);

test('whenever the sandbox answers, the banner says the patients are synthetic', async ({ page }) => {
  const { source } = search('search-grouped');
  await mount(page, 'eps-tracker-training-banner', { source });
  await expect(page.getByRole('region', { name: 'Training' })).toContainText('Synthetic patients — not real data');
  await expect(page.getByRole('region', { name: 'Training' })).toContainText(
    'Answers come from the built-in sandbox, not from Spine.',
  );
  await screen(page, 'training-banner');
});

test('a server in front of the sandbox: the banner names its address', async ({ page }) => {
  await mount(page, 'eps-tracker-training-banner', {
    source: {
      backend: 'gateway',
      name: 'the sandbox',
      label: 'https://training.example.org/mm/prescriptions',
      training: true,
      notice: 'Synthetic patients — not real data',
    },
  });
  await expect(page.getByRole('region', { name: 'Training' })).toContainText(
    'Answers come from the sandbox at https://training.example.org/mm/prescriptions, not from Spine.',
  );
});

test('no banner when Spine answers', async ({ page }) => {
  await mount(page, 'eps-tracker-training-banner', {
    source: { backend: 'gateway', name: 'Spine', label: 'https://gateway.example.org', training: false, notice: '' },
  });
  await expect(page.getByRole('region')).toHaveCount(0);
});
