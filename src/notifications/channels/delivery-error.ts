/** A delivery that no retry can fix (a refused address, a receiver that rejects the message). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/** A delivery that may work later (a timeout, a server error, a connection refused). */
export class TransientDeliveryError extends Error {
  override name = 'TransientDeliveryError';
}
