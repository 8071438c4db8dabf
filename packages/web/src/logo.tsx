// The Modelyard mark and word.
export function Logo({ size = 28 }: { size?: number }) {
  return (
    <span className="logo">
      <svg viewBox="0 0 32 32" width={size} height={size} aria-hidden="true">
        <rect width="32" height="32" rx="8" fill="#4f46e5" />
        <path
          d="M8 22V10l8 7 8-7v12"
          stroke="#fff"
          strokeWidth="3"
          fill="none"
          strokeLinejoin="round"
          strokeLinecap="round"
        />
      </svg>
      <span className="logo-word">Modelyard</span>
    </span>
  );
}
