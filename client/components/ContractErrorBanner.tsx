import { useEffect, useState } from 'react';
import { type ContractError, onContractError } from '../api/contractErrors';
import { useT } from '../i18n';

/**
 * Shows that an answer or a live event did not match the contract (the details are in the console):
 * what could not be read is missing from the screen, and the user should know it.
 */
export function ContractErrorBanner() {
  const t = useT();
  const [error, setError] = useState<ContractError | null>(null);
  useEffect(() => onContractError(setError), []);
  if (!error) return null;
  return (
    <div className="contract-error" role="alert" data-testid="contract-error" data-where={error.where}>
      <span>{t('error.contract')}</span>
      <button type="button" className="button button--small" onClick={() => setError(null)}>
        {t('refusal.dismiss')}
      </button>
    </div>
  );
}
