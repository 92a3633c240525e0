import { loadConfig } from '@buf/config';
import { addressOf } from './recipients';

describe('notification recipients', () => {
  const config = loadConfig({
    NOTIFICATION_ADDRESSES: JSON.stringify({ 'institution-leader': 'institutionsledere@kk.example.dk' }),
    NOTIFICATION_DIRECTORY: JSON.stringify({
      areas: { nord: { representative: 'rep-nord@kk.example.dk' } },
      units: { 'Skole Nord': { 'institution-leader': 'il-nord@kk.example.dk', 'cluster-leader': 'kl-nord@kk.example.dk' } },
    }),
  });

  it('given a role, when resolved, then it is the role\'s configured address', () => {
    expect(addressOf(config, 'gdpr-lead')).toBe('gdpr-lead@buf.example.dk');
  });

  it('given persons by function and place, when resolved, then the directory names them', () => {
    expect(addressOf(config, 'area-representative@area:nord')).toBe('rep-nord@kk.example.dk');
    expect(addressOf(config, 'institution-leader@unit:Skole Nord')).toBe('il-nord@kk.example.dk');
    expect(addressOf(config, 'cluster-leader@unit:Skole Nord')).toBe('kl-nord@kk.example.dk');
  });

  it('given persons the directory does not list, when resolved, then the role\'s mailbox (Ledelsessekretariatet for a representative) receives it', () => {
    expect(addressOf(config, 'institution-leader@unit:Skole Syd')).toBe('institutionsledere@kk.example.dk');
    expect(addressOf(config, 'area-representative@area:vest')).toBe('ledelsessekretariat@buf.example.dk');
  });
});
