// "Try it" for character models: a prompt continued in streamed chunks, with a temperature.
import { useRef, useState } from 'react';
import { engineCommands } from '../../state/engine-controller.ts';

export function TextTry() {
  const [prompt, setPrompt] = useState('In the beginning');
  const [temperature, setTemperature] = useState(0.8);
  const [output, setOutput] = useState('');
  const [running, setRunning] = useState(false);
  const stop = useRef(false);
  const generate = async () => {
    setRunning(true);
    stop.current = false;
    let text = '';
    setOutput('');
    // In chunks, so the characters stream in and Stop is prompt.
    for (let k = 0; k < 25 && !stop.current; k++) {
      const r = await engineCommands.generate(prompt + text, 8, temperature, k);
      if (r === null) break;
      text += r;
      setOutput(text);
    }
    setRunning(false);
  };
  return (
    <div className="tryit__text">
      <label>
        prompt
        <textarea
          value={prompt}
          onChange={(e) => setPrompt(e.target.value)}
          rows={2}
          data-testid="tryit-prompt"
        />
      </label>
      <label>
        temperature {temperature.toFixed(2)}
        <input
          type="range"
          min={0.1}
          max={2}
          step={0.05}
          value={temperature}
          onChange={(e) => setTemperature(Number(e.target.value))}
          data-testid="tryit-temperature"
        />
      </label>
      <div>
        <button
          className="primary"
          disabled={running}
          onClick={() => void generate()}
          data-testid="tryit-generate"
        >
          Generate
        </button>{' '}
        <button disabled={!running} onClick={() => (stop.current = true)}>
          Stop
        </button>
      </div>
      <pre className="tryit__output" data-testid="tryit-output">
        <span className="muted">{prompt}</span>
        {output}
      </pre>
    </div>
  );
}
