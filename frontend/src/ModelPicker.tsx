import { useEffect, useState } from "react";
import { FormControl, InputLabel, MenuItem, Select } from "@mui/material";
import { currentModel, listModels, ModelKind, ModelSpec, selectModel } from "./api";

/** The registry of one model kind as a dropdown; choosing an entry selects it on the server. */
export function ModelPicker({ kind, onError }: { kind: ModelKind; onError: (msg: string) => void }) {
  const [models, setModels] = useState<ModelSpec[]>([]);
  const [current, setCurrent] = useState("");
  useEffect(() => {
    listModels(kind).then(setModels).catch((e) => onError(String(e.message ?? e)));
    currentModel(kind).then((c) => setCurrent(c.current?.model_name ?? "")).catch(() => undefined);
  }, [kind]);
  const choose = (name: string) =>
    selectModel(kind, name).then((c) => setCurrent(c.current.model_name ?? name))
      .catch((e) => onError(String(e.message ?? e)));
  return (
    <FormControl size="small" sx={{ minWidth: 280 }}>
      <InputLabel id={`${kind}-model`}>model</InputLabel>
      <Select labelId={`${kind}-model`} label="model" value={models.some((m) => m.name === current) ? current : ""}
              onChange={(e) => choose(String(e.target.value))} data-testid={`${kind}-model`}>
        {models.map((m) => (
          <MenuItem key={m.name} value={m.name}>{m.name} ({m.kind})</MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
