// A line of text that ends in an ellipsis when it does not fit its box, with the whole text
// in its title (the tooltip): portal URLs and organization names, which can be of any length.
import "./TruncatedText.css";

interface Props {
  text: string;
  className?: string;
  testId?: string;
}

export function TruncatedText({ text, className, testId }: Props) {
  return (
    <span className={className ? `truncated-text ${className}` : "truncated-text"} title={text} data-testid={testId}>
      {text}
    </span>
  );
}
