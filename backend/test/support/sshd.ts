// The real peers live in tools/peers, where the benchmarks use them too.
export * from '../../../tools/peers/sshd';
