// A render error in one panel shows a message in that panel, never a blank window; the
// document (autosaved) is untouched.
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ name: string; children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="panel-error" role="alert">
        <strong>The {this.props.name} failed to draw:</strong> {this.state.error.message}
        <button onClick={() => this.setState({ error: null })}>Try again</button>
      </div>
    );
  }
}
