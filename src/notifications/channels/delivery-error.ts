/** A delivery that no retry can fix (a refused address, a receiver that rejects the message). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}

/** A delivery that may work later (a timeout, a server error, a connection refused). */
export class TransientDeliveryError extends Error {
  override name = 'TransientDeliveryError';
}

/**
 * The receiver's host already has its share of deliveries in flight. Not a failure: the job waits
 * a moment and tries again without spending one of its attempts.
 */
export class HostBusyError extends Error {
  override name = 'HostBusyError';
}
