import { expect } from 'chai';
import { pointsInTime } from '../../../domain/reports/summarize-period.js';

describe('reports: the dates the stages are counted at over time', () => {
  it('when the period is a year, then each quarter’s end, the year’s end last', () => {
    expect(pointsInTime('2022-01-01', '2022-12-31')).to.deep.equal(['2022-03-31', '2022-06-30', '2022-09-30', '2022-12-31']);
  });

  it('when the period ends before a quarter does, then its own end, after the quarter ends it holds', () => {
    expect(pointsInTime('2022-04-01', '2022-05-31')).to.deep.equal(['2022-05-31']);
    expect(pointsInTime('2021-07-01', '2022-02-15')).to.deep.equal(['2021-09-30', '2021-12-31', '2022-02-15']);
  });

  it('when the period spans more than two calendar years, then the years’ ends', () => {
    expect(pointsInTime('2020-01-01', '2023-12-31')).to.deep.equal(['2020-12-31', '2021-12-31', '2022-12-31', '2023-12-31']);
  });

  it('when the period is as long as dates may be, then a dozen dates or so, every n-th year’s end counted back from the last day', () => {
    const points = pointsInTime('1945-01-01', '2200-12-31');
    expect(points.length).to.be.at.most(13);
    expect(points.at(-1)).to.equal('2200-12-31');
    expect(points[0]).to.match(/^19[45]\d-12-31$/);
    expect(points).to.deep.equal([...points].sort());
  });
});
