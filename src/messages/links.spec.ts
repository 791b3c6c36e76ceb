import { Links } from './links.js';

describe(Links.name, () => {
  it('should build each page from PUBLIC_URL when it ends with a slash or not', () => {
    for (const PUBLIC_URL of [
      'https://cirt.example.org/tracker',
      'https://cirt.example.org/tracker/',
    ]) {
      const links = new Links({ PUBLIC_URL });
      expect(links.countryPage('KE')).toBe('https://cirt.example.org/tracker/app/countries/KE');
      expect(links.reportsPage()).toBe('https://cirt.example.org/tracker/app/reports');
      expect(links.invitationPage('a_B-1')).toBe(
        'https://cirt.example.org/tracker/invitation/a_B-1',
      );
    }
  });

  it('should never link to the API when a page is asked for', () => {
    const links = new Links({ PUBLIC_URL: 'http://localhost:3000' });
    for (const url of [links.countryPage('KE'), links.reportsPage()]) {
      expect(new URL(url).pathname).toMatch(/^\/app\//);
    }
  });
});
